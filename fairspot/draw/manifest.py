"""The manifest: the commitment published before any randomness exists.

``build_manifest(rows_or_population, spec) -> (manifest, canonical_population_bytes)``. The manifest is::

    {"protocol": "fairspot-draw/1", "kind": "targets",
     "spec": <normalized spec>,
     "population": {"file": "population.csv", "sha256": <hex>, "columns": [...], "rows": <int>},
     "strata": [{"stratum": [...], "rows": r, "excluded": e, "N": r - e, "ratio": "0.05" | "sample_size": k}],
     "frame_size": <sum of N>}

Its digest (SHA-256 of its canonical JSON bytes) is what gets published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

from .canonical import PROTOCOL, PROTOCOL_V2, canonical_json, sha256_hex
from .errors import SpecError
from .population import (
    POPULATION_FILE,
    Population,
    canonical_population_bytes,
    parse_canonical_population,
    population_from_rows,
)
from .rows import Counted, RowTuples, write_rows
from .spec import expected_size, normalize_spec, spec_protocol


def manifest_digest(manifest: Mapping[str, Any]) -> bytes:
    """SHA-256 of the manifest's canonical JSON (32 bytes)."""
    return hashlib.sha256(canonical_json(manifest)).digest()


def build_manifest(
    population: Population | RowTuples | Iterable[Mapping[str, Any]], spec: Mapping[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """Validate ``spec`` and the population, apply exclusions, and return the manifest and the canonical
    population file. ``population`` is a :class:`Population`, row tuples (:class:`RowTuples`, written
    and counted in one pass) or an iterable of row mappings."""
    protocol = spec_protocol(spec)
    norm = normalize_spec(spec)
    if isinstance(population, RowTuples):
        excluded = {e["id"] for e in norm["exclusions"]}
        strat, weight = tuple(norm["stratify_by"]), norm["weight_column"]
        data, counted = write_rows(population, strat, weight, excluded)
        columns = ("id", *strat, *((weight,) if weight else ()))

        def missing() -> list[str]:  # only when an exclusion names no row: read the file again
            pop = parse_canonical_population(data, stratify_by=strat, weight_column=weight)
            return _missing(pop, {i.encode("ascii") for i in excluded})

        return _manifest(counted, columns, missing, norm, data, protocol=protocol), data
    if isinstance(population, Population):
        if (
            population.stratify_by != tuple(norm["stratify_by"])
            or population.weight_column != norm["weight_column"]
        ):
            raise SpecError(
                "the population was read with other stratification or weight columns than the spec"
            )
        pop = population
    else:
        pop = population_from_rows(
            population, stratify_by=norm["stratify_by"], weight_column=norm["weight_column"]
        )
    data = canonical_population_bytes(pop)
    return manifest_for(pop, norm, data, protocol=protocol), data


def _allocation(
    key: tuple[str, ...], norm: dict[str, Any], overrides: dict, default: dict, ratio_at: int | None
) -> dict[str, Any]:
    """The stratum's allocation: its override, else its value's ratio in ``ratio_by`` (v2), else the
    default."""
    if key in overrides:
        return {k: v for k, v in overrides[key].items() if k in ("ratio", "sample_size")}
    if ratio_at is not None and key[ratio_at] in norm["ratio_by"]["ratios"]:
        return {"ratio": norm["ratio_by"]["ratios"][key[ratio_at]]}
    return default


def _floor(key, norm, overrides, alloc, frame, where) -> dict[str, Any]:
    """v2 πps: the stratum's min_inclusion (its override's, else the spec's), checked against E[n_h]/N_h."""
    floor = overrides.get(key, {}).get("min_inclusion", norm.get("min_inclusion"))
    if floor is None:
        return {}
    expected = expected_size(alloc, frame, norm["min_per_stratum"])
    if frame and Fraction(floor) * frame > expected:
        raise SpecError(
            f"min_inclusion {floor} is above the stratum's sampling ratio E[n]/N = {expected / frame}"
            f" ({expected} of {frame} expected to be drawn)",
            where=where,
        )
    return {"min_inclusion": floor}


def manifest_for(
    pop: Population, norm: dict[str, Any], data: bytes, *, protocol: str = PROTOCOL
) -> dict[str, Any]:
    """The manifest of an already normalized spec and parsed population (used by the verifier too)."""
    excluded = {e["id"].encode("ascii") for e in norm["exclusions"]}
    counts = {
        key: (len(ids), len(excluded.intersection(ids)) if excluded else 0) for key, ids in pop.groups.items()
    }
    return _manifest(
        Counted(counts, pop.size), pop.columns, lambda: _missing(pop, excluded), norm, data, protocol=protocol
    )


def _missing(pop: Population, excluded: set[bytes]) -> list[str]:
    known = {i for ids in pop.groups.values() for i in excluded.intersection(ids)}
    return sorted(i.decode() for i in excluded - known)


def _manifest(
    counted: Counted,
    columns: tuple[str, ...],
    missing: Callable[[], list[str]],
    norm: dict[str, Any],
    data: bytes,
    *,
    protocol: str,
) -> dict[str, Any]:
    """The manifest from each stratum's rows and exclusions; ``missing`` names the excluded ids that
    are in no stratum (asked only when there are some)."""
    v2 = protocol == PROTOCOL_V2
    counts = counted.counts
    ratio_by = norm.get("ratio_by")
    ratio_at = norm["stratify_by"].index(ratio_by["column"]) if ratio_by else None
    if ratio_by:
        present = {key[ratio_at] for key in counts}
        unknown = sorted(set(ratio_by["ratios"]) - present)
        if unknown:
            raise SpecError(
                f"ratio_by names value(s) with no row in the population: {', '.join(unknown[:10])}",
                where="spec.ratio_by",
            )
    overrides = {tuple(o["stratum"]): o for o in norm["strata"]}
    for key in overrides:
        if key not in counts:
            raise SpecError(
                f"stratum {list(key)} named in spec.strata has no rows in the population", where="spec.strata"
            )
    default = {k: norm[k] for k in ("ratio", "sample_size") if k in norm}
    strata = []
    found = 0
    for key in sorted(counts):
        rows, n_excluded = counts[key]
        found += n_excluded
        frame = rows - n_excluded
        alloc = _allocation(key, norm, overrides, default, ratio_at)
        where = f"stratum {list(key)}"
        if alloc.get("sample_size", 0) > frame:
            raise SpecError(
                f"sample_size {alloc['sample_size']} exceeds the {frame} targets left to draw from",
                where=where,
            )
        if frame == 0 and "ratio" in alloc and norm["min_per_stratum"] > 0:
            raise SpecError(
                f"no target left to draw ({rows} rows, all excluded)"
                f" but min_per_stratum is {norm['min_per_stratum']}",
                where=where,
            )
        floor = _floor(key, norm, overrides, alloc, frame, where) if v2 and norm["design"] == "pps" else {}
        strata.append(
            {"stratum": list(key), "rows": rows, "excluded": n_excluded, "N": frame, **alloc, **floor}
        )
    if found != len(norm["exclusions"]):
        raise SpecError(
            f"exclusion names id(s) not in the population: {', '.join(missing()[:10])}",
            where="spec.exclusions",
        )
    return {
        "protocol": protocol,
        "kind": "targets",
        "spec": norm,
        "population": {
            "file": POPULATION_FILE,
            "sha256": sha256_hex(data),
            "columns": list(columns),
            "rows": counted.size,
        },
        "strata": strata,
        "frame_size": sum(s["N"] for s in strata),
    }
