"""Benchmark: import N targets from CSV into SQLite and PostgreSQL, against a floor measured on the same file.

    .venv/bin/python bench/import_bench.py --n 1000000 [--db sqlite|postgres|both] [--keep-file]
    .venv/bin/python bench/import_bench.py --profile [--profile-n 100000] [--profile-db sqlite|postgres]

The input is the demo district's target list (``DemoDistrict(out, seed).write_targets(n)``), generated
once and cached as ``bench/out/targets-n<N>-seed<S>.csv`` (Faker: over a minute per million rows).

Per database, two child processes (fresh interpreters, so ``ru_maxrss`` is the peak of one import):

* floor -- SQLite: ``csv.reader`` + one ``executemany`` INSERT of the 14 columns as text into a bare
  table (no indexes, one transaction, the app's PRAGMAs journal_mode=WAL, synchronous=NORMAL);
  PostgreSQL: ``COPY bare FROM STDIN WITH (FORMAT csv, HEADER true)`` of the file bytes in 1 MiB chunks.
* fairspot -- fresh database, ``migrate`` (not timed), demo departments and special libraries, then
  ``TargetImporter(actor=None, options={"department_id": ...}).run(path)`` timed; the report must be ok
  and ``created == rows``.

Goal (the issue): fairspot <= 4x the floor's time, peak RSS <= 1 GiB. A large file is parsed by a forked
worker process while the import child writes (see fairspot.core.parse_worker): the memory goal is checked
against the sum of both peaks (``ru_maxrss`` of the child and of its largest waited-for child).

``--profile`` runs the SQLite (or ``--profile-db postgres``) import of ``--profile-n`` rows under cProfile,
with ``options["parallel"] = False`` so that reading and parsing are in the profile too (a timed run
parses a large file in a worker process, which cProfile would not see), prints the top 25 functions
by cumulative and by own time and saves the raw stats to
``bench/out/profile-<db>-n<rows>.prof`` (open with ``python -m pstats`` or snakeviz).

Everything is written under ``bench/out/`` (gitignored): the CSV, SQLite files, ``FAIRSPOT_VAR_DIR``.
PostgreSQL databases ``fairspot_bench`` and ``fairspot_bench_floor`` on 127.0.0.1:5432 are dropped and
re-created for each run; ``--keep-file`` keeps them (and the SQLite files) afterwards for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR = OUT / "var"
SQLITE_DB = OUT / "bench.sqlite3"
SQLITE_FLOOR_DB = OUT / "bench-floor.sqlite3"
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
PG_DB = "fairspot_bench"
PG_FLOOR_DB = "fairspot_bench_floor"
COLUMNS = 14  # of the demo target list
COPY_CHUNK = 1 << 20
GOAL_RATIO = 4.0
GOAL_RSS_MIB = 1024.0


def pg_url(db: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{db}"


def pg_dsn(db: str) -> str:
    return f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname={db}"


# --- child side -----------------------------------------------------------------------------------


def peak_rss_mib(who: str = "self") -> float:
    """Peak RSS of this process, or (``who="children"``) of the largest child it has waited for."""
    import resource

    usage = resource.RUSAGE_CHILDREN if who == "children" else resource.RUSAGE_SELF
    return resource.getrusage(usage).ru_maxrss / 1024  # KiB on Linux


def django_setup() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairspot.settings")
    import django

    django.setup()


def child_generate(n: int, seed: int, target: Path) -> dict:
    django_setup()
    from fairspot.hub.demo import DemoDistrict

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=OUT, prefix="gen-") as tmp:
        path = DemoDistrict(Path(tmp), seed=seed).write_targets(n)
        os.replace(path, target)  # atomic: a half-written file is never taken for a cached one
    return {"seconds": time.perf_counter() - started}


def child_floor_sqlite(csv_path: Path) -> dict:
    import csv
    import sqlite3

    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FLOOR_DB}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(SQLITE_FLOOR_DB, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    cols = ", ".join(f"c{i} text" for i in range(COLUMNS))
    conn.execute(f"CREATE TABLE bare ({cols})")
    marks = ", ".join("?" * COLUMNS)
    rows = 0

    started = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # header
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.executemany(f"INSERT INTO bare VALUES ({marks})", reader)
        rows = cur.rowcount
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started

    count = conn.execute("SELECT count(*) FROM bare").fetchone()[0]
    conn.close()
    return {"rows": count, "rowcount": rows, "seconds": seconds, "peak_rss_mib": peak_rss_mib()}


def child_floor_postgres(csv_path: Path) -> dict:
    import psycopg

    with psycopg.connect(pg_dsn(PG_FLOOR_DB)) as conn:
        cols = ", ".join(f"c{i} text" for i in range(COLUMNS))
        conn.execute(f"CREATE TABLE bare ({cols})")
        conn.commit()

        started = time.perf_counter()
        with conn.cursor() as cur, csv_path.open("rb") as handle:
            with cur.copy("COPY bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(COPY_CHUNK):
                    copy.write(chunk)
            rows = cur.rowcount
        conn.commit()
        seconds = time.perf_counter() - started

        count = conn.execute("SELECT count(*) FROM bare").fetchone()[0]
    return {"rows": count, "rowcount": rows, "seconds": seconds, "peak_rss_mib": peak_rss_mib()}


def _prepare_fairspot_db() -> int:
    """Migrate the (fresh) database and create the demo departments and libraries; the SCJG id."""
    from django.core.management import call_command
    from django.db import transaction

    from fairspot.accounts.models import Department
    from fairspot.directory.models import SpecialLibrary
    from fairspot.hub import demo

    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        for order, (code, name, short, office) in enumerate(demo.DEPARTMENTS, start=1):
            Department.objects.create(
                code=code, name=name, short_name=short, is_office=office, sort_order=order
            )
        depts = dict(Department.objects.values_list("code", "id"))
        for code, name, dept in demo.LIBRARIES:  # the file's 专项库 column names them
            SpecialLibrary.objects.create(code=code, name=name, department_id=depts[dept])
    return depts["SCJG"]


def child_fairspot(csv_path: Path) -> dict:
    django_setup()
    from django.db import connection

    from fairspot.directory.importers import TargetImporter
    from fairspot.directory.models import Target

    department_id = _prepare_fairspot_db()
    rss_before = peak_rss_mib()

    started = time.perf_counter()
    report = TargetImporter(actor=None, options={"department_id": department_id}).run(
        csv_path, file_name=csv_path.name
    )
    seconds = time.perf_counter() - started

    if not report.ok:
        for err in report.errors[:20]:
            print(f"  row {err.row} {err.column}: {err.message}", file=sys.stderr)
        raise SystemExit(f"fairspot import failed: {report.summary()}")
    if report.created != report.rows:
        raise SystemExit(
            f"fairspot import created {report.created} of {report.rows} rows: {report.summary()}"
        )
    stored = Target.objects.count()
    if stored != report.rows:
        raise SystemExit(f"{stored} targets stored after importing {report.rows} rows")
    result = {
        "rows": report.rows,
        "created": report.created,
        "seconds": seconds,
        "vendor": connection.vendor,
        "rss_before_import_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
        "worker_peak_rss_mib": peak_rss_mib("children"),  # the parsing worker (0 if none was used)
        "summary": _english(report.summary),
    }
    connection.close()
    return result


def _english(message) -> str:
    from django.utils import translation

    with translation.override("en"):
        return str(message())


def child_profile(csv_path: Path, top: int, db: str) -> dict:
    import cProfile
    import io
    import pstats

    django_setup()
    from fairspot.directory.importers import TargetImporter

    department_id = _prepare_fairspot_db()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    report = profiler.runcall(
        TargetImporter(actor=None, options={"department_id": department_id, "parallel": False}).run,
        csv_path,
        file_name=csv_path.name,
    )
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"fairspot import failed: {report.summary()} {report.errors[:5]}")
    prof_path = OUT / f"profile-{db}-n{report.rows}.prof"
    profiler.dump_stats(prof_path)
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats(key).print_stats(top)
        text = buffer.getvalue().replace(str(ROOT) + "/", "")
        print(f"\n===== top {top} by {key} =====")
        print(text[text.find("   ncalls") :].rstrip())  # drop the preamble up to the column headings
    return {"rows": report.rows, "seconds_under_profile": seconds, "prof": str(prof_path)}


def child_main(args: argparse.Namespace) -> None:
    csv_path = Path(args.csv) if args.csv else None
    if args.child == "generate":
        result = child_generate(args.n, args.seed, Path(args.target))
    elif args.child == "floor-sqlite":
        result = child_floor_sqlite(csv_path)
    elif args.child == "floor-postgres":
        result = child_floor_postgres(csv_path)
    elif args.child == "fairspot":
        result = child_fairspot(csv_path)
    elif args.child == "profile":
        result = child_profile(csv_path, args.top, args.profile_db)
    else:  # pragma: no cover - argparse restricts the choices
        raise SystemExit(f"unknown child task {args.child}")
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")


# --- parent side ----------------------------------------------------------------------------------


def child_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "fairspot.settings",
            "DATABASE_URL": database_url,
            "FAIRSPOT_VAR_DIR": str(VAR),
            "DEBUG": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run_child(task: str, database_url: str, *extra: str) -> dict:
    with tempfile.NamedTemporaryFile(dir=OUT, prefix=f"{task}-", suffix=".json", delete=False) as tmp:
        result_path = Path(tmp.name)
    try:
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            task,
            "--result",
            str(result_path),
            *extra,
        ]
        proc = subprocess.run(cmd, env=child_env(database_url), cwd=ROOT, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"child task {task!r} failed (exit {proc.returncode})")
        return json.loads(result_path.read_text(encoding="utf-8"))
    finally:
        result_path.unlink(missing_ok=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"  # path is absolute, so this is sqlite:////abs/path


def ensure_csv(n: int, seed: int) -> Path:
    target = OUT / f"targets-n{n}-seed{seed}.csv"
    if target.exists():
        print(
            f"input: {target.relative_to(ROOT)} (cached, {target.stat().st_size / 2**20:.1f} MiB)", flush=True
        )
        return target
    print(
        f"input: generating {n:,} demo targets into {target.relative_to(ROOT)} ...",
        flush=True,
    )
    result = run_child(
        "generate",
        sqlite_url(OUT / "unused.sqlite3"),
        "--n",
        str(n),
        "--seed",
        str(seed),
        "--target",
        str(target),
    )
    print(
        f"input: generated in {result['seconds']:.1f} s, {target.stat().st_size / 2**20:.1f} MiB", flush=True
    )
    return target


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def recreate_pg(db: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(pg_dsn("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{db}"')


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds > 0 else "inf"


def bench_db(db: str, csv_path: Path, keep: bool) -> dict:
    print(f"\n== {db} ==", flush=True)
    costs: list[dict] = []
    if db == "sqlite":
        remove_sqlite(SQLITE_FLOOR_DB)
        floor = run_child("floor-sqlite", sqlite_url(SQLITE_FLOOR_DB), "--csv", str(csv_path))
        floor_name = "executemany"
        remove_sqlite(SQLITE_DB)
        fair = run_child("fairspot", sqlite_url(SQLITE_DB), "--csv", str(csv_path))
        if not keep:
            remove_sqlite(SQLITE_FLOOR_DB)
            remove_sqlite(SQLITE_DB)
    else:
        recreate_pg(PG_FLOOR_DB)
        floor = run_child("floor-postgres", pg_url(PG_FLOOR_DB), "--csv", str(csv_path))
        floor_name = "copy"
        recreate_pg(PG_DB)
        fair = run_child("fairspot", pg_url(PG_DB), "--csv", str(csv_path))
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from bench.import_index_costs import index_costs

        costs = index_costs(pg_dsn(PG_DB), floor["seconds"])
        if not keep:
            recreate_pg(PG_FLOOR_DB, drop_only=True)
            recreate_pg(PG_DB, drop_only=True)
    if floor["rows"] != fair["rows"]:
        print(f"WARNING: floor stored {floor['rows']} rows, fairspot read {fair['rows']}", flush=True)
    ratio = fair["seconds"] / floor["seconds"]
    print(f"rows={fair['rows']}")
    print(
        f"floor ({floor_name}): seconds={floor['seconds']:.2f} "
        f"rows_per_s={rate(floor['rows'], floor['seconds'])} peak_rss_mib={floor['peak_rss_mib']:.0f}"
    )
    print(
        f"fairspot: seconds={fair['seconds']:.2f} rows_per_s={rate(fair['rows'], fair['seconds'])} "
        f"({fair['summary']})"
    )
    print(f"ratio_to_floor={ratio:.2f}")
    if db == "postgres":
        upkeep = costs[-1]["seconds"]
        print(
            f"the same rows moved in again with the table's {len(costs) - 1} indexes: {upkeep:.2f} s"
            f" = {upkeep / floor['seconds']:.1f}x the floor (the part no check can save)"
        )
    worker = fair.get("worker_peak_rss_mib", 0.0)
    total = fair["peak_rss_mib"] + worker
    print(
        f"peak_rss_mib={fair['peak_rss_mib']:.0f} (import child; {fair['rss_before_import_mib']:.0f} after "
        f"django.setup + migrate, before the import); parsing worker {worker:.0f}; sum {total:.0f}"
    )
    ok = ratio <= GOAL_RATIO and total <= GOAL_RSS_MIB
    print(
        f"goal (<= {GOAL_RATIO:g}x floor, <= {GOAL_RSS_MIB:.0f} MiB): {'met' if ok else 'NOT met'}",
        flush=True,
    )
    return {"db": db, "floor_name": floor_name, "ratio": ratio, "peak_rss_mib": total}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="targets to generate (default 1,000,000)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=1, help="DemoDistrict seed (part of the cache key)")
    parser.add_argument(
        "--keep-file",
        action="store_true",
        help="keep the benchmark SQLite files and PostgreSQL databases after the run",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead: profile the SQLite import of --profile-n rows with cProfile",
    )
    parser.add_argument("--profile-n", type=int, default=100_000)
    parser.add_argument("--profile-db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile table")
    # internal: one measurement in a fresh interpreter
    parser.add_argument(
        "--child",
        choices=("generate", "floor-sqlite", "floor-postgres", "fairspot", "profile"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child_main(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"host: cpus={os.cpu_count()} loadavg={load} (other work on the machine skews the timings)")
    if args.profile:
        csv_path = ensure_csv(args.profile_n, args.seed)
        if args.profile_db == "sqlite":
            remove_sqlite(SQLITE_DB)
            url = sqlite_url(SQLITE_DB)
        else:
            recreate_pg(PG_DB)
            url = pg_url(PG_DB)
        result = run_child(
            "profile", url, "--csv", str(csv_path), "--top", str(args.top), "--profile-db", args.profile_db
        )
        if not args.keep_file and args.profile_db == "sqlite":
            remove_sqlite(SQLITE_DB)
        elif not args.keep_file:
            recreate_pg(PG_DB, drop_only=True)
        print(
            f"\nprofiled {result['rows']:,} rows into {args.profile_db}: "
            f"{result['seconds_under_profile']:.1f} s under cProfile; "
            f"stats saved to {Path(result['prof']).relative_to(ROOT)}"
        )
        return
    csv_path = ensure_csv(args.n, args.seed)
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = [bench_db(db, csv_path, args.keep_file) for db in dbs]
    print()
    for r in results:
        print(
            f"{r['db']}: ratio_to_{r['floor_name']}_floor={r['ratio']:.2f} "
            f"peak_rss_mib={r['peak_rss_mib']:.0f} (import child + parsing worker)"
        )


if __name__ == "__main__":
    main()
