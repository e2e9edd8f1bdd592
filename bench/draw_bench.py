"""Benchmark of the draw engine (fairspot-draw/1 and /2).

    .venv/bin/python bench/draw_bench.py --n 1000000
    .venv/bin/python bench/draw_bench.py --n 10000000 --skip-pps --skip-matching

Generates n USCC-like 18-character identifiers in 200 strata and times, in one run:

* commit: canonical population file + manifest (sorting every row);
* parse: reading the canonical population back (what reveal and verify do);
* the stratified draw at 5 % (seed, randomized rounding, keys, smallest keys, result document);
* the floor: a bare single-core ``hashlib.sha256(id).digest()`` loop over the same identifiers;
* a πps (Pareto, fairspot-draw/1) draw against numpy ``Generator.choice(p=..., replace=False)`` on the
  same data (reference only: numpy's draw-by-draw sampling does not give inclusion probabilities
  proportional to the weights, and its stream is not portable);
* the fairspot-draw/2 πps draw (ordered systematic, exact π, with a floor ``min_inclusion``) on the
  same data, and its ratio to the SHA-256 floor loop over those rows (``pps_ratio_to_sha256_floor=``);
* inspector matching, 5,000 tasks × 1,000 inspectors, and its stdlib verification.

Prints every figure, the peak memory (getrusage) and, last, ``pps_ratio_to_sha256_floor=<x>`` (when
πps is measured) and ``ratio_to_sha256_floor=<x>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fairspot.draw import build_manifest, draw, parse_canonical_population
from fairspot.draw.population import Population

SOURCES = [{"name": "drand", "kind": "drand", "round": 17654321, "fallback": "next round after 10 minutes"}]
VALUES = {"drand": "c2b8f2a45e1b7d3f09a4e6c8b1d2f3a4e5f60718293a4b5c6d7e8f9011223344"}


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def timed(label: str, fn, *, repeat: int = 1):
    best, out = None, None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        spent = time.perf_counter() - start
        best = spent if best is None else min(best, spent)
    print(f"{label:<58} {best:8.3f} s")
    return best, out


def make_population(n: int, strata: int, *, weights: bool = False) -> Population:
    """USCC-like ids: '91' + division code + a 9-digit body from an affine permutation (unique)."""
    groups: dict[tuple[str, ...], list[bytes]] = {(f"S{k:03d}",): [] for k in range(strata)}
    keys = list(groups)
    lists = [groups[k] for k in keys]
    for i in range(n):
        body = (i * 7_919_000_003 + 12_345) % 10**16
        lists[i % strata].append(b"91%016d" % body)
    ws = None
    if weights:
        ws = {k: [("1", "2", "3.5", "0.75", "8")[j % 5] for j in range(len(groups[k]))] for k in keys}
    return Population(("stratum",), "w" if weights else None, groups, ws, n)


def spec(n_excluded_ids: list[str], **extra) -> dict:
    return {
        "draw_id": "bench",
        "created_at": "2026-03-02T09:00:00+08:00",
        "stratify_by": ["stratum"],
        "ratio": "0.05",
        "alternates": 2,
        "exclusions": [{"id": i, "reason": "bench exclusion"} for i in n_excluded_ids],
        "sources": SOURCES,
        **extra,
    }


def floor_loop(population: Population) -> None:
    sha = hashlib.sha256
    for ids in population.groups.values():
        [sha(i).digest() for i in ids]


def stratified(n: int, strata: int, repeat: int) -> float:
    print(f"== stratified draw: n={n:,} in {strata} strata, ratio 5 %, 2 alternates per stratum ==")
    t_gen, population = timed("generate identifiers", lambda: make_population(n, strata))
    excluded = [population.groups[("S000",)][j].decode() for j in range(0, 1000, 10)]
    t_commit, (manifest, data) = timed(
        "commit: canonical population + manifest", lambda: build_manifest(population, spec(excluded))
    )
    print(f"{'  canonical population file':<58} {len(data) / 2**20:8.1f} MiB")
    del population
    gc.collect()
    t_parse, population = timed(
        "parse canonical population (reveal/verify)",
        lambda: parse_canonical_population(data, stratify_by=["stratum"]),
    )
    data = b""  # free it before the draw, as a reveal would
    gc.collect()
    t_draw, result = timed(
        "stratified draw (from parsed population)", lambda: draw(manifest, population, VALUES), repeat=repeat
    )
    t_floor, _ = timed(
        "floor: bare sha256(id).digest() loop, one core", lambda: floor_loop(population), repeat=repeat
    )
    print(f"{'  selected / alternates':<58} {result['selected_total']:,} / {result['alternates_total']:,}")
    print(f"{'  draw per row':<58} {t_draw / n * 1e9:8.0f} ns")
    print(f"{'  floor per row':<58} {t_floor / n * 1e9:8.0f} ns")
    print(f"{'  peak memory so far':<58} {peak_gib():8.2f} GiB")
    print(f"{'  generate + commit + parse + draw':<58} {t_gen + t_commit + t_parse + t_draw:8.3f} s")
    return t_draw / t_floor


def pps(n: int, strata: int) -> float:
    import numpy as np

    print(f"== πps (Pareto, exact) vs numpy choice(p=..., replace=False): n={n:,}, {strata} strata, 5 % ==")
    population = make_population(n, strata, weights=True)
    manifest, _ = build_manifest(population, spec([], design="pps", weight_column="w"))
    t_pps, result = timed(
        "πps Pareto draw (exact integer ranking)", lambda: draw(manifest, population, VALUES)
    )
    rng = np.random.default_rng(12345)
    arrays = [np.array([float(w) for w in population.weights[k]]) for k in population.groups]
    sizes = [s["n"] for s in result["strata"]]

    def numpy_choice():
        for w, size in zip(arrays, sizes, strict=True):
            rng.choice(len(w), size=size, replace=False, p=w / w.sum())

    t_np, _ = timed("numpy Generator.choice(p=..., replace=False), same sizes", numpy_choice)
    print(f"{'  πps / numpy':<58} {t_pps / t_np:8.1f} x")
    v2 = spec([], design="pps", weight_column="w", protocol="fairspot-draw/2", min_inclusion="1/100")
    manifest2, _ = build_manifest(population, v2)
    t_v2, result2 = timed(
        "πps fairspot-draw/2: systematic, exact π, floor 1/100", lambda: draw(manifest2, population, VALUES)
    )
    t_floor, _ = timed("floor: bare sha256(id).digest() loop, same rows", lambda: floor_loop(population))
    print(f"{'  selected (v2)':<58} {result2['selected_total']:,}")
    print(f"{'  v2 πps / v1 Pareto':<58} {t_v2 / t_pps:8.2f} x")
    pps_phases(population, result2, t_floor)
    return t_v2 / t_floor


def pps_phases(population: Population, result: dict, t_floor: float) -> None:
    """Where the v2 πps time goes, phase by phase, each as a multiple of the SHA-256 floor: what the
    protocol's exactness costs beyond hashing (the key prefix, the total order by (key, id), exact π)."""
    from fractions import Fraction

    from fairspot.draw.pps import scale_weights
    from fairspot.draw.seed import key_hasher
    from fairspot.draw.systematic import inclusion_probabilities, systematic_pick

    hasher = key_hasher(bytes(32))
    sizes = {tuple(s["stratum"]): s["n"] for s in result["strata"]}
    spent = dict.fromkeys(["weights", "keys", "pi", "order", "pick"], 0.0)
    for key, ids in population.groups.items():
        texts = population.weights[key]
        start = time.perf_counter()
        weights = scale_weights(texts)
        spent["weights"] += time.perf_counter() - start
        start = time.perf_counter()
        copy, tagged = hasher.copy, []
        keep = tagged.append
        for ident in ids:
            h = copy()
            h.update(ident)
            keep(h.digest() + ident)
        spent["keys"] += time.perf_counter() - start
        start = time.perf_counter()
        numerators, denominator = inclusion_probabilities(weights, sizes[tuple(key)], Fraction(1, 100))
        spent["pi"] += time.perf_counter() - start
        start = time.perf_counter()
        order = sorted(range(len(ids)), key=tagged.__getitem__)
        spent["order"] += time.perf_counter() - start
        start = time.perf_counter()
        systematic_pick(order, numerators, denominator, 1 << 255)
        spent["pick"] += time.perf_counter() - start
    words = {
        "weights": "decimal weights to integers",
        "keys": "keys: SHA-256(key prefix ‖ id)",
        "pi": "exact π (integer breakpoints)",
        "order": "total order by (key, id)",
        "pick": "systematic pick (running sums, bisection)",
    }
    for name, seconds in spent.items():
        print(f"{'  v2 phase: ' + words[name]:<58} {seconds:8.3f} s {seconds / t_floor:5.2f} x floor")


def matching(n_tasks: int, n_inspectors: int) -> None:
    import numpy  # noqa: F401  (import cost is not solve time)
    import scipy.optimize  # noqa: F401

    from fairspot.draw import match_inspectors, matching_manifest, sources_document, verify_matching_result

    print(f"== inspector matching: {n_tasks:,} tasks × {n_inspectors:,} inspectors ==")
    spec = matching_spec(n_tasks, n_inspectors)
    _, manifest = timed("normalize spec (slot plans, validation)", lambda: matching_manifest(spec))
    _, result = timed(
        "match: eligibility, costs, HiGHS LP, exact certificate", lambda: match_inspectors(manifest, VALUES)
    )
    sdoc = sources_document(manifest, VALUES)
    timed("verify certificate (stdlib integers)", lambda: verify_matching_result(manifest, sdoc, result))
    print(f"{'  eligible (task, slot, inspector) triples':<58} {result['eligible_triples']:,}")
    print(f"{'  optimum unique':<58} {result['unique']!s:>8}")


def matching_spec(n_tasks: int, n_inspectors: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    depts = [f"dept{d:02d}" for d in range(10)]
    quals = [f"q{q}" for q in range(8)]
    towns = [f"town{t:02d}" for t in range(12)]
    day0 = dt.date(2026, 3, 1)
    inspectors = [
        {
            "id": f"I{i:05d}",
            "department": depts[i % len(depts)],
            "certificate_expires": (dt.date(2026, 6, 1) + dt.timedelta(days=rnd.randint(0, 900))).isoformat(),
            "qualifications": rnd.sample(quals, rnd.randint(1, 3)),
            "township_posted": rnd.choice(towns),
            "township_residence": rnd.choice(towns),
            "capacity": rnd.randint(12, 20),
        }
        for i in range(n_inspectors)
    ]
    tasks = []
    for t in range(n_tasks):
        joint = rnd.random() < 0.2
        tasks.append(
            {
                "id": f"T{t:05d}",
                "target": f"91410700{t:010d}",
                "date": (day0 + dt.timedelta(days=rnd.randint(0, 200))).isoformat(),
                "township": rnd.choice(towns),
                "departments": rnd.sample(depts, 2) if joint else [rnd.choice(depts)],
                "qualifications": [rnd.choice(quals)] if rnd.random() < 0.5 else [],
                "team_size": 2,
            }
        )
    recusals = [
        {"inspector": rnd.choice(inspectors)["id"], "target": rnd.choice(tasks)["target"]}
        for _ in range(n_tasks // 50)
    ]
    return {
        "kind": "matching",
        "draw_id": "bench-matching",
        "rules": {"same_township": True},
        "tasks": tasks,
        "inspectors": inspectors,
        "recusals": recusals,
        "sources": SOURCES,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--strata", type=int, default=200)
    parser.add_argument(
        "--repeat", type=int, default=0, help="best of R timings (default 3 up to 2M rows, else 1)"
    )
    parser.add_argument("--pps-n", type=int, default=1_000_000, help="rows for the πps comparison")
    parser.add_argument("--skip-pps", action="store_true")
    parser.add_argument("--skip-matching", action="store_true")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {hashlib.sha256().name} via OpenSSL")
    ratio = stratified(args.n, args.strata, args.repeat or (3 if args.n <= 2_000_000 else 1))
    pps_ratio = None
    if not args.skip_pps:
        pps_ratio = pps(min(args.pps_n, args.n), args.strata)
    if not args.skip_matching:
        matching(5_000, 1_000)
    print(f"{'peak memory (ru_maxrss)':<58} {peak_gib():8.2f} GiB")
    if pps_ratio is not None:
        print(f"pps_ratio_to_sha256_floor={pps_ratio:.3f}")
    print(f"ratio_to_sha256_floor={ratio:.3f}")


if __name__ == "__main__":
    main()
