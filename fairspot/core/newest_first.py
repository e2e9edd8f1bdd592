"""Newest-first name searches on PostgreSQL that a planner's misestimate cannot turn into a table scan.

A search such as ``… WHERE UPPER(name) LIKE '%华扬纺织%' ORDER BY id DESC LIMIT 21`` has two good plans:

- walk the primary key from the newest row, testing each name, and stop at the 21st match: fast when
  many names match (``有限公司``: 0.1 ms);
- collect every match through the trigram index and sort them: fast when few match (a firm's name).

PostgreSQL picks one by its estimate of how many rows match, read from a sample of about a hundred names
(``ANALYZE``). A fragment that happens to occur in one of them is estimated at 1 % of the table, so the
walk is chosen, and it tests every row to find the four firms that match: 0.58 s at a million published
results, about 6 s at ten million (measured in ``bench/portal_bench.py``, ``docs/opendata.md``). Which
fragments suffer changes with each ``ANALYZE``.

``rows(sql, params)`` therefore runs the statement with a time budget (``SET LOCAL statement_timeout``,
sent in the same round trip, so the usual case is still one query). A walk that runs past the budget is
cancelled and the statement runs again with index walks and sequential scans disabled
(``enable_indexscan``, ``enable_seqscan``), which leaves the trigram index: the walk only runs long when
matches are rare, and rare matches are what the index finds fast. The settings are local to the
statement's transaction (or to a savepoint that is rolled back inside an outer transaction), so they
never leak to the connection's next query. On other databases the statement simply runs.

``evaluate(queryset)`` does the same for a page of an ORM list searched by name (the staff lists,
``core.listing``): the directory's ``/directory/?q=…`` ordered by 统一社会信用代码 has the same two plans,
and a firm's full name found in the sample took 2.3 to 4.0 s at ten million targets. A list page is not
a public hot path, so it takes the plain way: a transaction (or savepoint) with the settings, the
query, and a rollback of the savepoint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import OperationalError, connection, transaction

BUDGET_MS = 30  # about 50,000 names tested by the walk; past it, matches are rarer than 1 in 2,000
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout
_GUARDED = "SET LOCAL statement_timeout = {ms}; "
_BY_INDEX = "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; "


def rows(sql: str, params: Sequence, *, budget_ms: int | None = None) -> list[tuple]:
    """All rows of one SELECT (newest first by a trigram ``LIKE``), guarded on PostgreSQL as above."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return _guarded(lambda settings: _run(settings + sql, params), budget_ms)


def evaluate(queryset, *, budget_ms: int | None = None) -> list:
    """The objects of ``queryset`` (one page of a list searched by name), guarded on PostgreSQL."""
    if connection.vendor != "postgresql":
        return list(queryset)
    return _guarded(lambda settings: _within(settings, lambda: list(queryset)), budget_ms)


def _guarded(attempt: Callable[[str], list], budget_ms: int | None) -> list:
    """``attempt`` under the time budget; if cancelled by it, again with the index walks disabled."""
    try:
        return attempt(_GUARDED.format(ms=int(budget_ms or BUDGET_MS)))
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
    return attempt(_BY_INDEX)


def _within(settings: str, work: Callable[[], list]) -> list:
    """``work`` in a transaction (or a savepoint of the caller's) after ``settings``; the savepoint is
    rolled back after it, so the ``SET LOCAL``s end with it whoever began the transaction."""
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            with connection.cursor() as cursor:
                cursor.execute(settings)
            return work()
        finally:
            transaction.savepoint_rollback(savepoint)


def _run(statements: str, params: Sequence) -> list[tuple]:
    """Run ``SET LOCAL …; SELECT …`` in one round trip; the rows of the SELECT.

    Outside a transaction the statements form one implicit transaction, which ends with them. Inside one
    (a test, an ``atomic`` caller) they run in a savepoint that is rolled back after the rows are read: a
    SELECT writes nothing, and the rollback undoes the ``SET LOCAL``s (and a cancelled statement)."""
    savepoint = transaction.savepoint() if connection.in_atomic_block else None
    try:
        with connection.cursor() as cursor:
            cursor.execute(statements, params)
            while cursor.description is None and cursor.nextset():
                pass
            return cursor.fetchall()
    finally:
        if savepoint is not None:
            transaction.savepoint_rollback(savepoint)
