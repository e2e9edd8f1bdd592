"""The public results page by keyset: one query per page, whatever the page.

A page is "the ``size`` newest rows older than row ``before``" (or, going back, "newer than ``after``"),
so the database walks the primary key from a known point instead of counting past ``offset`` rows, and
the rows come back in the same query as the search (no second fetch by id). The search rules are those
of ``selectors`` (code equality/prefix on the b-tree index, trigram name search, short terms filtered);
on SQLite the trigram match, the key condition and the limit run inside the FTS5 index, which returns
row ids in key order, and the table is read only for the page's rows.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from fairspot.core import newest_first
from fairspot.opendata import selectors
from fairspot.opendata.models import PublishedResult


@dataclass
class KeysetPage:
    rows: list  # of ``Row``: the shown columns of ``PublishedResult``, dates as the database gives them
    older: int | None  # the ``before`` of the next (older) page, or None at the end
    newer: int | None  # the ``after`` of the previous (newer) page, or None at the start


def _escape_like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"


def _fts_ids(
    long_terms: list[str], short_terms: list[str], bound: tuple[str, int] | None, limit: int
) -> RawSQL:
    """Row ids matching the name terms, in key order from ``bound``, at most ``limit`` (SQLite FTS5)."""
    table = selectors.FTS_TABLE
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608 - a constant table name
    params: list = [" AND ".join(selectors._fts_phrase(t) for t in long_terms)]
    for term in short_terms:
        sql += r" AND target_name LIKE %s ESCAPE '\'"
        params.append(_escape_like(term))
    descending = bound is None or bound[0] == "before"
    if bound is not None:
        sql += " AND rowid < %s" if descending else " AND rowid > %s"
        params.append(bound[1])
    sql += f" ORDER BY rowid {'DESC' if descending else 'ASC'} LIMIT %s"
    params.append(limit)
    return RawSQL(sql, params)  # noqa: S611 - constant SQL text, every value a parameter


# what the page shows of a result (``opendata.templatetags.opendata.result_rows``), read as plain rows
SHOWN = (
    "id",
    "source_id",
    "target_name",
    "target_identifier",
    "item_name",
    "result_label",
    "corrected",
    "remarks",
    "authority",
    "inspection_type",
    "inspection_date",
    "completion_date",
    "task_code",
    "task_title",
    "published_at",
)
Row = namedtuple("Row", SHOWN)


DAYS = ("inspection_date", "completion_date")


def _columns() -> tuple[str, list]:
    """The shown columns; on PostgreSQL the days come back as text, the publication's in the page's time
    zone (converting dates and aware date-times in Python cost more than the rest of a row)."""
    qn = connection.ops.quote_name
    if connection.vendor != "postgresql":
        return ", ".join(f"r.{qn(c)}" for c in SHOWN), []
    parts = []
    for c in SHOWN:
        if c in DAYS:
            parts.append(f"to_char(r.{qn(c)}, 'YYYY-MM-DD')")
        elif c == "published_at":
            parts.append(f"to_char(r.{qn(c)} AT TIME ZONE %s, 'YYYY-MM-DD')")
        else:
            parts.append(f"r.{qn(c)}")
    return ", ".join(parts), [timezone.get_current_timezone_name()]


def search(q: str, *, before: int | None = None, after: int | None = None, size: int = 20) -> KeysetPage:
    """One page of results matching ``q`` (all when empty), newest first, in one query (plain SQL and
    plain rows: building the query and the model objects through the ORM cost more than running it)."""
    bound = ("after", after) if after is not None else (("before", before) if before is not None else None)
    ascending = bound is not None and bound[0] == "after"
    where: list[str] = []
    params: list = []
    guarded = False  # a trigram name search on PostgreSQL: run through ``newest_first`` (its docstring)
    if bound is not None:
        where.append("r.id > %s" if ascending else "r.id < %s")
        params.append(bound[1])
    if q and selectors.is_code(q):
        code = q.upper()
        if len(code) == 18:
            where.append("r.target_identifier = %s")
            params.append(code)
        elif connection.vendor == "postgresql":
            where.append("r.target_identifier LIKE %s")  # varchar_pattern_ops; codes are [0-9A-Z] only
            params.append(code + "%")
        else:
            where.append("r.target_identifier >= %s AND r.target_identifier < %s")
            params += [code, code + selectors.HIGHEST]
    elif q:
        terms = q.split(" ")
        long_terms = [t for t in terms if len(t) >= 3]
        guarded = bool(long_terms)
        if long_terms and connection.vendor == "sqlite":
            sub = _fts_ids(long_terms, [t for t in terms if len(t) < 3], bound, size + 1)
            where.append(f"r.id IN ({sub.sql})")
            params += list(sub.params)
        else:
            for term in terms:  # the trigram GIN index on UPPER(target_name) (PostgreSQL)
                where.append(r"UPPER(r.target_name) LIKE UPPER(%s) ESCAPE '\'")
                params.append(_escape_like(term))
    table = connection.ops.quote_name(PublishedResult._meta.db_table)
    columns, column_params = _columns()
    sql = f"SELECT {columns} FROM {table} r"  # noqa: S608 - constant names, values are parameters
    params = column_params + params
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY r.id {'ASC' if ascending else 'DESC'} LIMIT %s"
    params.append(size + 1)
    if guarded:
        found = newest_first.rows(sql, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
    rows = [Row._make(values) for values in found]
    more = len(rows) > size
    rows = rows[:size]
    if ascending:
        rows.reverse()
        return KeysetPage(rows, rows[-1].id if rows else None, rows[0].id if rows and more else None)
    return KeysetPage(
        rows, rows[-1].id if rows and more else None, rows[0].id if rows and before is not None else None
    )
