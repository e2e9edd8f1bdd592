"""For ``bench/import_bench.py`` on PostgreSQL: what each index of the directory costs an import."""

from __future__ import annotations

import time


def index_costs(dsn: str, floor_seconds: float) -> list[dict]:
    """PostgreSQL, after the import: what each index of the directory costs an import of these rows.

    The imported rows are inserted again, in id order as the import writes them (``INSERT … SELECT …
    ORDER BY id``), into an empty copy of the table, first with no index, then with the table's indexes
    added one at a time, emptied between runs; each run's time, and what the index added. The first run
    is the heap alone; the rest is index upkeep that the pages and rules need (``docs/imports.md``)."""
    import psycopg

    rows_out = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        indexes = conn.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = 'directory_target'::regclass ORDER BY NOT i.indisprimary, c.relname"
        ).fetchall()
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute("CREATE TABLE bench_copy (LIKE directory_target INCLUDING DEFAULTS)")
        previous = None
        for name, definition in [("(none: the heap alone)", None), *indexes]:
            if definition is not None:
                own = definition.replace(f"INDEX {name} ON", f"INDEX bench_{name[:50]} ON")
                conn.execute(own.replace("public.directory_target ", "public.bench_copy "))
            conn.execute("TRUNCATE bench_copy")
            started = time.perf_counter()
            conn.execute("INSERT INTO bench_copy SELECT * FROM directory_target ORDER BY id")
            seconds = time.perf_counter() - started
            added = seconds - previous if previous is not None else seconds
            rows_out.append({"index": name, "seconds": seconds, "added": added})
            times = seconds / floor_seconds
            print(
                f"  with {name:45s} {seconds:6.2f} s  (+{added:5.2f} s, {times:4.1f}x the floor)", flush=True
            )
            previous = seconds
        conn.execute("DROP TABLE bench_copy")
    return rows_out
