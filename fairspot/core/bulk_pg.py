"""Bulk writes that never stop readers or hang for ever (PostgreSQL; harmless no-ops on SQLite).

* ``limit_waits``: for the rest of the transaction, a bulk write gives up after ``lock_timeout`` instead
  of queueing behind another transaction (and making everyone queue behind itself), and the server
  ends the transaction if its client stops talking to it for ``idle_in_transaction_session_timeout``
  (e.g. a killed import's orphan holding the connection "idle in transaction").
* ``create_staging_table`` / ``move_staged_rows``: new rows are COPied into a temporary table with no
  index, then moved into the real table in one INSERT … SELECT. The real table only ever gets the
  row-level lock every insert takes, so reads of it (and writes to other rows) go on during the import.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import connection


def limit_waits() -> None:
    if connection.vendor != "postgresql":
        return
    lock_ms = settings.FAIRSPOT_BULK_LOCK_TIMEOUT_MS
    idle_ms = settings.FAIRSPOT_BULK_IDLE_TIMEOUT_MS
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{lock_ms}ms"])
        cursor.execute("SELECT set_config('idle_in_transaction_session_timeout', %s, true)", [f"{idle_ms}ms"])


def create_staging_table(table: str) -> str | None:
    """A temporary copy of ``table``'s columns (no indexes, no constraints but NOT NULL), dropped at the
    end of the transaction. Returns its name; None on other databases."""
    if connection.vendor != "postgresql":
        return None
    if connection.get_autocommit():
        raise RuntimeError("a staging table is only created inside a transaction")
    name = f"{table}_staging"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(name)} (LIKE {quote(table)} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
    return name


def move_staged_rows(staging: str, table: str, columns: Sequence[str]) -> int:
    """Move every staged row into ``table`` (in id order, which keeps the heap close to index order)."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({cols}) SELECT {cols} FROM {quote(staging)} ORDER BY id"  # noqa: S608
        )
        moved = cursor.rowcount
        cursor.execute(f"DROP TABLE {quote(staging)}")
    return moved
