"""Target draws (design ``srs``) assembled from per-stratum smallest keys computed somewhere else.

The selection rule of §5.7 needs, per stratum h, only the m_h = min(N_h, n_h + alternates) smallest
(key, id) pairs of the frame. Whoever computes them — partitions of the directory, each drawing its own
rows (:func:`partition_smallest`, merged by :func:`merge_smallest`), or the database itself
(``fairspot.draws.sqldraw``) — hands a :data:`Selection` to :func:`srs_result`, which writes the result
exactly as :func:`fairspot.draw.sampling.draw` does. Stratum sizes n_h, the seed and the documents are
computed here by the engine's own functions; only the ranking of the rows is delegated.

Why merging is exact: the m smallest of a union are among the union of each part's m smallest (an
element beaten by m elements of its own part is beaten by m elements of the union), and the order
(key, then id) is a total order on distinct ids, so the merged prefix is the same list.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from typing import Any

from .bundle import RESULT_FILE, SOURCES_FILE
from .canonical import PROTOCOLS, canonical_json, sha256_hex
from .errors import DrawError
from .manifest import manifest_digest
from .population import Stratum
from .sampling import smallest_keys, sources_document, stratum_size
from .seed import derive_seed, key_hasher, stratum_uniform

# stratum values → the (key, id) pairs, ascending; keys are 32-byte digests, ids UTF-8 bytes
Selection = dict[Stratum, list[tuple[bytes, bytes]]]


@dataclass(frozen=True)
class SrsPlan:
    """Everything of an ``srs`` reveal that does not depend on ranking the rows."""

    manifest: Mapping[str, Any]
    digest: bytes
    sources_doc: dict[str, Any]
    seed: bytes
    strata: list[dict[str, Any]]  # result entries without "selected"/"alternates"
    limits: dict[Stratum, int]  # m_h: how many smallest keys each stratum needs
    excluded: frozenset[bytes]

    @property
    def stratify_by(self) -> list[str]:
        return list(self.manifest["spec"]["stratify_by"])


def srs_plan(manifest: Mapping[str, Any], sources: Mapping[str, Any]) -> SrsPlan:
    """Seed, stratum sizes and the number of keys each stratum needs, from the manifest and the
    source values (as :func:`fairspot.draw.sampling.draw` computes them)."""
    if manifest.get("protocol") not in PROTOCOLS or manifest.get("kind") != "targets":
        raise DrawError(f"not a {' or '.join(PROTOCOLS)} target-draw manifest", where="manifest")
    spec = manifest["spec"]
    if spec["design"] != "srs":
        raise DrawError("only design srs is drawn from partial selections", where="manifest")
    digest = manifest_digest(manifest)
    sdoc = sources_document(manifest, sources, digest=digest)
    seed = derive_seed(digest, sdoc["sources"])
    strata, limits = [], {}
    for entry in manifest["strata"]:
        key = tuple(entry["stratum"])
        u = stratum_uniform(seed, key)
        n, expected = stratum_size(entry, entry["N"], u, spec["min_per_stratum"])
        out = {k: v for k, v in entry.items() if k not in ("rows", "excluded")}
        out["rounding_u"] = f"{u:064x}" if "ratio" in entry else None
        out["expected_n"] = str(expected)
        out["n"] = n
        strata.append(out)
        limits[key] = min(entry["N"], n + spec["alternates"])
    excluded = frozenset(e["id"].encode("ascii") for e in spec["exclusions"])
    return SrsPlan(manifest, digest, sdoc, seed, strata, limits, excluded)


def srs_result(plan: SrsPlan, selection: Mapping[Stratum, list[tuple[bytes, bytes]]]) -> dict[str, Any]:
    """The result document (§5.9) from each stratum's m_h smallest (key, id) pairs."""
    strata = []
    for entry in plan.strata:
        key = tuple(entry["stratum"])
        picked = selection.get(key, [])
        if len(picked) != plan.limits[key]:
            raise DrawError(
                f"the selection has {len(picked)} rows for this stratum, the draw needs {plan.limits[key]}",
                where=f"stratum {list(key)}",
            )
        n, frame = entry["n"], entry["N"]
        prob = str(Fraction(n, frame)) if frame else "0"
        strata.append(
            {
                **entry,
                "selected": [
                    {"id": i.decode(), "key": k.hex(), "inclusion_probability": prob} for k, i in picked[:n]
                ],
                "alternates": [{"id": i.decode(), "key": k.hex()} for k, i in picked[n:]],
            }
        )
    spec = plan.manifest["spec"]
    return {
        "protocol": plan.manifest["protocol"],
        "kind": "targets",
        "draw_id": spec["draw_id"],
        "design": spec["design"],
        "manifest_sha256": plan.digest.hex(),
        "sources_sha256": sha256_hex(canonical_json(plan.sources_doc)),
        "seed": plan.seed.hex(),
        "strata": strata,
        "selected_total": sum(len(s["selected"]) for s in strata),
        "alternates_total": sum(len(s["alternates"]) for s in strata),
    }


def revealed_files(plan: SrsPlan, result: Mapping[str, Any]) -> dict[str, bytes]:
    """The two files a reveal adds to the bundle, byte for byte as ``reveal_bundle`` writes them."""
    return {SOURCES_FILE: canonical_json(plan.sources_doc), RESULT_FILE: canonical_json(result)}


def partition_smallest(
    seed: bytes,
    groups: Mapping[Stratum, list[bytes]],
    excluded: Iterable[bytes],
    limits: Mapping[Stratum, int],
) -> Selection:
    """One partition's share: per stratum, its own m_h smallest (key, id) pairs (engine key function).
    ``groups`` holds only this partition's rows; strata it lacks get an empty list."""
    hasher = key_hasher(seed)
    out_ids = set(excluded)
    return {
        key: smallest_keys(hasher, groups[key], out_ids.intersection(groups[key]), m) if key in groups else []
        for key, m in limits.items()
    }


def merge_smallest(
    parts: Iterable[Mapping[Stratum, list[tuple[bytes, bytes]]]], limits: Mapping[Stratum, int]
) -> Selection:
    """The m_h smallest pairs of each stratum over all partitions, from each partition's m_h smallest."""
    parts = list(parts)
    return {key: list(islice(heapq.merge(*(p.get(key, []) for p in parts)), m)) for key, m in limits.items()}
