"""The target draw: stratum sizes by randomized rounding, selection by smallest keys (or Pareto πps).

``draw(manifest, population, sources) -> result`` is deterministic: the same manifest, population and
source values give the same result bytes on any machine. Nothing here uses floats to decide anything
(a float estimate only chooses a fast path whose output is then exact either way).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from fractions import Fraction
from itertools import islice
from typing import Any

from .canonical import PROTOCOL, PROTOCOL_V2, PROTOCOLS, canonical_json, sha256_hex, tagged_hash
from .errors import DrawError, PopulationError
from .manifest import manifest_digest
from .population import Population, parse_canonical_population
from .pps import cap_inclusion, pareto_ranking, scale_weights
from .seed import TWO_256, derive_seed, key_hasher, stratum_uniform
from .sources import check_revealed
from .spec import allocation_value, expected_size
from .systematic import inclusion_probabilities, systematic_pick

START_TAG = "fairspot-draw/2 systematic-start"


def randomized_round(x: Fraction, u: int) -> int:
    """floor(x) + 1 if u / 2**256 < frac(x) else floor(x): E = x exactly, and monotone in x for fixed u."""
    whole = math.floor(x)
    frac = x - whole
    return whole + (1 if u * frac.denominator < frac.numerator * TWO_256 else 0)


def stratum_size(alloc: Mapping[str, Any], frame: int, u: int, minimum: int) -> tuple[int, Fraction]:
    """(n_h, E[n_h]) for a manifest stratum entry."""
    kind, value = allocation_value(alloc)
    if kind == "sample_size":
        return int(value), Fraction(int(value))
    expected = expected_size(alloc, frame, minimum)
    return min(frame, max(minimum, randomized_round(value * frame, u))), expected


def smallest_keys(
    hasher: Any, ids: list[bytes], excluded: set[bytes], m: int, n_excluded: int | None = None
) -> list[tuple[bytes, bytes]]:
    """The m smallest (key, id) pairs among ``ids`` not in ``excluded``, ascending (keys as bytes compare
    like big-endian integers). Keys above a threshold are not kept: the threshold is set so that
    fewer than m survivors is very unlikely, and if it happens the stratum is simply redone in full.
    ``n_excluded`` (how many of ``ids`` are excluded, when known) only tunes that threshold."""
    if m <= 0:
        return []
    size = len(ids)
    threshold = None
    if 4 * m < size:
        # A float estimate is fine here: it only picks the fast path, never the result.
        expect = m + (len(excluded) if n_excluded is None else n_excluded) + 8 * math.sqrt(m) + 32
        threshold = min(TWO_256 - 1, int(TWO_256 * (expect / size))).to_bytes(32, "big")
    while True:
        copy = hasher.copy
        kept: list[tuple[bytes, bytes]] = []
        keep = kept.append
        if threshold is None:
            for ident in ids:
                h = copy()
                h.update(ident)
                keep((h.digest(), ident))
        else:
            for ident in ids:
                h = copy()
                h.update(ident)
                digest = h.digest()
                if digest < threshold:
                    keep((digest, ident))
        if excluded:
            kept = [kv for kv in kept if kv[1] not in excluded]
        kept.sort()
        if threshold is None or len(kept) >= m:
            return kept[:m]
        threshold = None


def _srs(
    ids: list[bytes], excluded: set[bytes], hasher: Any, n: int, alternates: int, entry: Mapping[str, Any]
) -> dict[str, Any]:
    frame = entry["N"]
    picked = smallest_keys(hasher, ids, excluded, min(frame, n + alternates), entry["excluded"])
    prob = str(Fraction(n, frame)) if frame else "0"
    return {
        "selected": [
            {"id": i.decode(), "key": k.hex(), "inclusion_probability": prob} for k, i in picked[:n]
        ],
        "alternates": [{"id": i.decode(), "key": k.hex()} for k, i in picked[n:]],
    }


def _pps(
    ids: list[bytes], texts: list[str], excluded: set[bytes], hasher: Any, n: int, alternates: int
) -> dict[str, Any]:
    if excluded:
        kept = [j for j, i in enumerate(ids) if i not in excluded]
        ids = [ids[j] for j in kept]
        texts = [texts[j] for j in kept]
    weights = scale_weights(texts) if texts else []
    copy = hasher.copy
    keys = []
    for ident in ids:
        h = copy()
        h.update(ident)
        keys.append(h.digest())
    cap = cap_inclusion(weights, n)
    certain = set(cap.certain)
    rest = [j for j in range(len(ids)) if j not in certain]
    ranking = pareto_ranking(keys, weights, rest, ids, cap)
    chosen = sorted(cap.certain, key=keys.__getitem__) + ranking[: cap.n_rest]

    def row(j: int, *, selected: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ids[j].decode(), "key": keys[j].hex(), "weight": texts[j]}
        if selected:
            if j in certain:
                out.update(inclusion_probability="1", certainty=True)
            else:
                out["inclusion_probability"] = str(Fraction(cap.n_rest * weights[j], cap.w_rest))
        return out

    return {
        "certainties": len(cap.certain),
        "selected": [row(j, selected=True) for j in chosen],
        "alternates": [row(j, selected=False) for j in ranking[cap.n_rest : cap.n_rest + alternates]],
    }


def ratio_text(a: int, b: int) -> str:
    """``str(Fraction(a, b))`` for 0 ≤ a, 0 < b, without building the Fraction: "a/b" in lowest terms."""
    g = math.gcd(a, b)
    a, b = a // g, b // g
    return str(a) if b == 1 else f"{a}/{b}"


class _KeyView:
    """``keys[j]`` of a list of key ‖ id byte strings (the first 32 bytes)."""

    __slots__ = ("_tagged",)

    def __init__(self, tagged: list[bytes]) -> None:
        self._tagged = tagged

    def __getitem__(self, j: int) -> bytes:
        return self._tagged[j][:32]


def systematic_start(seed: bytes, stratum: list[str] | tuple[str, ...]) -> int:
    """U of the stratum's systematic start u = U / 2**256 (fairspot-draw/2 πps)."""
    return int.from_bytes(tagged_hash(START_TAG, seed, canonical_json(list(stratum))), "big")


def _pps_v2(
    ids: list[bytes], texts: list[str], excluded: set[bytes], hasher: Any, n: int, alternates: int,
    floor: Fraction, start: int,
) -> dict[str, Any]:  # fmt: skip
    """Ordered systematic πps (§5.8 of fairspot-draw/2): exact π, units in key order, one start."""
    if excluded:
        kept = [j for j, i in enumerate(ids) if i not in excluded]
        ids = [ids[j] for j in kept]
        texts = [texts[j] for j in kept]
    weights = scale_weights(texts) if texts else []
    copy = hasher.copy
    # key ‖ id: keys are 32 bytes, so these byte strings order exactly as the pairs (key, id) do
    tagged = []
    keep = tagged.append
    for ident in ids:
        h = copy()
        h.update(ident)
        keep(h.digest() + ident)
    numerators, denominator = inclusion_probabilities(weights, n, floor)
    order = sorted(range(len(ids)), key=tagged.__getitem__)
    picked = systematic_pick(order, numerators, denominator, start)
    chosen = {order[p] for p in picked}
    spare = list(islice((j for j in order if j not in chosen), alternates))
    keys = _KeyView(tagged)

    def row(j: int) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ids[j].decode(), "key": keys[j].hex(), "weight": texts[j]}
        out["inclusion_probability"] = ratio_text(numerators[j], denominator)
        if numerators[j] == denominator:
            out["certainty"] = True
        return out

    return {
        "certainties": sum(1 for a in numerators if a == denominator),
        "start_u": f"{start:064x}",
        "selected": [row(order[p]) for p in picked],
        "alternates": [row(j) for j in spare],
    }


def sources_document(
    manifest: Mapping[str, Any], given: Mapping[str, Any], *, digest: bytes | None = None
) -> dict[str, Any]:
    """The ``sources.json`` document for revealed values ``given`` (name → value or entry)."""
    return {
        "protocol": manifest.get("protocol", PROTOCOL),
        "kind": "sources",
        "manifest_sha256": (digest or manifest_digest(manifest)).hex(),
        "sources": check_revealed(manifest["spec"]["sources"], given),
    }


def draw(
    manifest: Mapping[str, Any],
    population: Population | bytes,
    sources: Mapping[str, Any],
    *,
    digest: bytes | None = None,
) -> dict[str, Any]:
    """Run the target draw. ``population`` is the canonical population file or a parsed
    :class:`Population`; ``sources`` maps each declared source name to its value (or entry).
    ``digest``: the manifest's SHA-256 when the caller has already checked it (a province's manifest
    takes seconds to encode again)."""
    protocol = manifest.get("protocol")
    if protocol not in PROTOCOLS or manifest.get("kind") != "targets":
        raise DrawError(f"not a {' or '.join(PROTOCOLS)} target-draw manifest", where="manifest")
    spec = manifest["spec"]
    if isinstance(population, bytes):
        if sha256_hex(population) != manifest["population"]["sha256"]:
            raise PopulationError(
                "population file does not match the manifest digest", where="population.csv"
            )
        population = parse_canonical_population(
            population, stratify_by=spec["stratify_by"], weight_column=spec["weight_column"]
        )
    digest = digest or manifest_digest(manifest)
    sdoc = sources_document(manifest, sources, digest=digest)
    seed = derive_seed(digest, sdoc["sources"])
    hasher = key_hasher(seed)
    excluded_all = {e["id"].encode("ascii") for e in spec["exclusions"]}
    strata = []
    for entry in manifest["strata"]:
        key = tuple(entry["stratum"])
        ids = population.groups.get(key, [])
        if len(ids) != entry["rows"]:
            raise PopulationError(
                f"population has {len(ids)} rows in this stratum, manifest says {entry['rows']}",
                where=f"stratum {list(key)}",
            )
        frame = entry["N"]
        u = stratum_uniform(seed, key)
        n, expected = stratum_size(entry, frame, u, spec["min_per_stratum"])
        out: dict[str, Any] = {k: v for k, v in entry.items() if k not in ("rows", "excluded")}
        out["rounding_u"] = f"{u:064x}" if "ratio" in entry else None
        out["expected_n"] = str(expected)
        out["n"] = n
        if spec["design"] == "srs":
            out.update(_srs(ids, excluded_all, hasher, n, spec["alternates"], entry))
        elif protocol == PROTOCOL_V2:
            assert population.weights is not None
            excluded = excluded_all.intersection(ids) if entry["excluded"] else set()
            # the floor given n: φ = floor · n / E[n], so that E[π_i] ≥ floor over the rounding of n
            floor = Fraction(entry.get("min_inclusion", 0)) * n / expected if expected else Fraction(0)
            start = systematic_start(seed, key)
            out.update(
                _pps_v2(ids, population.weights[key], excluded, hasher, n, spec["alternates"], floor, start)
            )
        else:
            assert population.weights is not None
            excluded = excluded_all.intersection(ids) if entry["excluded"] else set()
            out.update(_pps(ids, population.weights[key], excluded, hasher, n, spec["alternates"]))
        strata.append(out)
    return {
        "protocol": protocol,
        "kind": "targets",
        "draw_id": spec["draw_id"],
        "design": spec["design"],
        "manifest_sha256": digest.hex(),
        "sources_sha256": hashlib.sha256(canonical_json(sdoc)).hexdigest(),
        "seed": seed.hex(),
        "strata": strata,
        "selected_total": sum(len(s["selected"]) for s in strata),
        "alternates_total": sum(len(s["alternates"]) for s in strata),
    }
