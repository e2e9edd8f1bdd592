"""Bulk writes that never stop readers or hang for ever (PostgreSQL; harmless no-ops on SQLite).

* ``limit_waits``: for the rest of the transaction, a bulk write gives up after ``lock_timeout`` instead
  of queueing behind another transaction (and making everyone queue behind itself), and the server
  ends the transaction if its client stops talking to it for ``idle_in_transaction_session_timeout``
  (e.g. a killed import's orphan holding the connection "idle in transaction").
"""

from __future__ import annotations

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
