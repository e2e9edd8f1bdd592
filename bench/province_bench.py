"""Benchmark: Fairspot at a province's size (issue 15 part 1).

    .venv/bin/python bench/province_bench.py --targets 10000000            # PostgreSQL
    .venv/bin/python bench/province_bench.py --targets 1000000 --db sqlite
    .venv/bin/python bench/province_bench.py --targets 1000000 --db both --reuse

**Loading** (a child process, timed, its peak memory reported): a fresh database (PostgreSQL
``fairspot_province_<n>``, SQLite ``bench/out/province-<n>.sqlite3``), ``migrate``, the demo district
(``seed_demo --targets 2000``: departments, users, items, inspectors, a finished round), then a
province's reference data — ``--departments`` departments (100) with two check items each and
``--townships`` townships (2,000) — and ``--targets`` market entities generated deterministically
(valid 统一社会信用代码, Zipf-like township sizes, the 20 industry sections, 8 % not active, credit
classes A–D) written with ``COPY`` (PostgreSQL) or ``executemany`` in large transactions (SQLite), then
``ANALYZE``. ``--reuse`` keeps a loaded database of the right size.

**Measuring** (another child process, so that its ``ru_maxrss`` is the peak of the application's work):

* pages (on PostgreSQL with autovacuum off, after an ``ANALYZE``, as autovacuum would have done) —
  as the joint-meeting office (``office``) and as a department administrator (``market``):
  every page of the menu and the first detail page linked from each list, ``--requests`` GETs each
  (20) after one warm-up, in-process through Django's test client (no network, no server), p50 and
  p95; a name search on the directory too, and on PostgreSQL a search for a name in the planner's
  own sample of the directory's names (which it over-estimates). Any answer other than 200 is reported;
* the population preview of a task over the whole province: the first view (counted: the worker's
  job, run in-process), then the page as a user sees it (the kept counts), ``preview_s`` being the
  latter;
* commit and reveal of that task through the services (sources confirmed by two officers, teams
  matched), against the engine's own draw of the same committed population (parse + draw, as
  ``bench/draw_bench.py`` times it): ``reveal_ratio`` = (commit + reveal) / engine;
* the statistics page as the office.

Prints a table and last these four lines: ``page_p95_ms=`` (the worst page's p95), ``preview_s=``,
``reveal_ratio=``, ``peak_rss_gib=`` (the larger of the loader's and the measurer's peaks). Goals at
10M on PostgreSQL: page_p95_ms <= 300, preview_s <= 2, reveal_ratio <= 3, peak_rss_gib <= 4.
Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
GOALS = {"page_p95_ms": 300.0, "preview_s": 2.0, "reveal_ratio": 3.0, "peak_rss_gib": 4.0}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def database_url(db: str, n: int) -> str:
    if db == "postgres":
        return f"{PG_BASE}fairspot_province_{n}"
    return f"sqlite:///{OUT / f'province-{n}.sqlite3'}"


def child_env(db: str, n: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(db, n),
        FAIRSPOT_VAR_DIR=str(OUT / f"province-var-{db}-{n}"),
        DJANGO_SETTINGS_MODULE="fairspot.settings",
        FAIRSPOT_JOBS_INLINE="1",  # the worker's jobs run in the measuring process
        FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS="0",
        FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_child(kind: str, db: str, args) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--db", db, "--targets", str(args.targets)]
    cmd += ["--requests", str(args.requests), "--ratio", args.ratio]
    cmd += ["--departments", str(args.departments), "--townships", str(args.townships)]
    cmd += ["--skip-draw"] if args.skip_draw else []
    proc = subprocess.run(cmd, env=child_env(db, args.targets), capture_output=True, text=True, cwd=ROOT)
    sys.stderr.write(proc.stderr[-4000:] if proc.returncode else "")
    if proc.returncode:
        raise SystemExit(f"{kind} child failed on {db} (exit {proc.returncode})")
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
        print(line, flush=True)
    raise SystemExit(f"{kind} child on {db} printed no result")


def loaded_size(db: str, n: int) -> int:
    """Targets in an existing province database, or -1."""
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_BASE + "postgres", autocommit=True) as admin:
            if not admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"fairspot_province_{n}"]
            ).fetchone():
                return -1
        try:
            with psycopg.connect(database_url(db, n)) as conn:
                return conn.execute("SELECT count(*) FROM directory_target").fetchone()[0]
        except psycopg.Error:
            return -1
    path = OUT / f"province-{n}.sqlite3"
    if not path.exists():
        return -1
    import sqlite3

    try:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT count(*) FROM directory_target").fetchone()[0]
    except sqlite3.Error:
        return -1


def fresh_database(db: str, n: int) -> None:
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_BASE + "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "fairspot_province_{n}" WITH (FORCE)')
            admin.execute(f"CREATE DATABASE \"fairspot_province_{n}\" ENCODING 'UTF8' TEMPLATE template0")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / f'province-{n}.sqlite3'}{suffix}").unlink(missing_ok=True)
    import shutil

    shutil.rmtree(OUT / f"province-var-{db}-{n}", ignore_errors=True)


def summarize(db: str, load: dict | None, m: dict) -> dict:
    pages = m["pages"]
    worst = max(pages, key=lambda p: p["p95_ms"])
    peaks = [m["peak_rss_gib"]] + ([load["peak_rss_gib"]] if load else [])
    print(f"\n== {db}, {m['targets']:,} targets ==")
    if load:
        print(f"load: {load['seconds']:.0f} s, peak {load['peak_rss_gib']:.2f} GiB")
    print(f"{'page':58} {'who':7} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>7}  status")
    for p in pages:
        url, who = p["url"][:58], p["user"]
        print(f"{url:58} {who:7} {p['p50_ms']:8.1f} {p['p95_ms']:8.1f} {p['kib']:7.0f}  {p['status']}")
    for key in ("preview_first_s", "preview_s", "commit_s", "reveal_s", "engine_s", "population", "selected"):
        print(f"{key:24} {m.get(key, '-')}")
    print(f"{'stats page ms':24} {m['stats_ms']:.0f}")
    print(f"{'peak rss (measure) GiB':24} {m['peak_rss_gib']:.2f}")
    return {
        "page_p95_ms": worst["p95_ms"],
        "worst_page": f"{worst['url']} ({worst['user']})",
        "preview_s": m["preview_s"],
        "reveal_ratio": (m["commit_s"] + m["reveal_s"]) / m["engine_s"] if "engine_s" in m else float("nan"),
        "peak_rss_gib": max(peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--targets", type=int, default=10_000_000)
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="postgres")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database of the right size")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--ratio", default="0.001", help="the province task's sampling ratio")
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--townships", type=int, default=2000)
    parser.add_argument("--skip-draw", action="store_true", help="pages and preview only")
    parser.add_argument("--child", choices=["load", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        from bench import province_parts

        out = province_parts.load(args) if args.child == "load" else province_parts.measure(args)
        out["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(json.dumps(out, ensure_ascii=False))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for db in ["postgres", "sqlite"] if args.db == "both" else [args.db]:
        load = None
        have = loaded_size(db, args.targets) if args.reuse else -1
        if have < args.targets:
            fresh_database(db, args.targets)
            log(f"{db}: loading {args.targets:,} targets")
            load = run_child("load", db, args)
            log(f"{db}: loaded in {load['seconds']:.0f} s")
        else:
            log(f"{db}: reusing the loaded database ({have:,} targets)")
        log(f"{db}: measuring")
        results[db] = summarize(db, load, run_child("measure", db, args))
    (OUT / "province_bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    for db, r in results.items():
        met = ", ".join(f"{k} {'met' if r[k] <= g else 'NOT met'}" for k, g in GOALS.items())
        print(f"{db}: worst page {r['worst_page']}; {met}")
    last = results.get("postgres") or next(iter(results.values()))
    print(f"page_p95_ms={last['page_p95_ms']:.1f}")
    print(f"preview_s={last['preview_s']:.3f}")
    print(f"reveal_ratio={last['reveal_ratio']:.2f}")
    print(f"peak_rss_gib={last['peak_rss_gib']:.2f}")


if __name__ == "__main__":
    main()
