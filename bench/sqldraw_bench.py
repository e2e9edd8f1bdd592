"""Benchmark: the srs reveal in the engine against the in-database reveal (fairspot.draws.sqldraw).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fairspot \
        .venv/bin/python bench/sqldraw_bench.py --n 1000000

Commits one bundle of n USCC-like identifiers in 200 strata (two columns, Chinese township names) at
5 % with 2 alternates, copies it, reveals one copy with ``fairspot.draw.reveal_bundle`` and the other
with ``sqldraw.reveal_bundle_sql``, checks that the two bundles are byte-identical, and prints the
times — for the database also its steps (COPY of population.csv, SHA-256 of the population in SQL,
strata counts, ranking). Needs only a connectable PostgreSQL database (the table is temporary).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


POPULATION = "population.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairspot.settings")
    django.setup()
    from fairspot.draw import commit_bundle, reveal_bundle
    from fairspot.draw.bundle import read_bundle
    from fairspot.draw.canonical import parse_canonical_json
    from fairspot.draw.partitioned import srs_plan
    from fairspot.draws import sqldraw
    from fairspot.testing.engine import SOURCES, spec

    towns = [f"第{i}镇" for i in range(40)]
    rows = [
        {"id": f"91410{i * 7919 % 10**13:013d}", "township": towns[i % 40], "section": "ABCFG"[i // 40 % 5]}
        for i in range(args.n)
    ]
    s = spec(stratify_by=["township", "section"], ratio="0.05", alternates=2)
    with tempfile.TemporaryDirectory() as tmp:
        engine_dir, sql_dir = Path(tmp) / "engine", Path(tmp) / "sql"
        started = time.perf_counter()
        commit_bundle(engine_dir, s, rows)
        print(f"commit ({args.n:,} rows): {time.perf_counter() - started:.2f} s")
        shutil.copytree(engine_dir, sql_dir)
        manifest = parse_canonical_json((engine_dir / "manifest.json").read_bytes())

        started = time.perf_counter()
        reveal_bundle(engine_dir, SOURCES)
        print(f"engine reveal: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        sqldraw.reveal_bundle_sql(sql_dir, SOURCES)
        print(f"in-database reveal: {time.perf_counter() - started:.2f} s")
        assert read_bundle(sql_dir) == read_bundle(engine_dir), "bundles differ"
        print("bundles byte-identical: yes")

        plan = srs_plan(manifest, SOURCES)
        sizes = {tuple(e["stratum"]): (e["rows"], e["excluded"]) for e in manifest["strata"]}
        columns = manifest["population"]["columns"]
        pop_file, seed, limits = engine_dir / POPULATION, plan.seed, plan.limits
        with sqldraw.population_table(2) as staged:
            steps = [
                ("COPY population.csv", lambda: sqldraw.load_population_file(staged, pop_file)),
                ("SHA-256 of the population in SQL", lambda: sqldraw.population_digest(staged, columns)),
                ("strata counts", lambda: sqldraw.check_strata(staged, manifest, plan.excluded)),
                ("keys, all ranked", lambda: sqldraw.smallest_keys_sql(staged, seed, limits, [])),
                ("keys, below the bound", lambda: sqldraw.smallest_keys_sql(staged, seed, limits, [], sizes)),
            ]  # fmt: skip
            for label, step in steps:
                started = time.perf_counter()
                step()
                print(f"  {label}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
