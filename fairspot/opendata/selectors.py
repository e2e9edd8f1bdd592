"""Reads of the open data: search, paging, the incremental feed. Everything here reads ``PublishedResult``.

Paging fetches one row more than the page to know whether there is a next page; there is no total
count (counting a million rows on every request costs more than the page itself). Order: newest first
by ``id`` (rows enter the read model in order of publication). The incremental feed orders by
(``updated_at``, ``id``).

Search (``q``):
- looks like a 统一社会信用代码 (letters and digits, with a digit, 6–18 characters): identifier equality
  (18 characters) or prefix, on the b-tree index;
- otherwise a name search: each whitespace-separated term of 3 or more characters is a substring match
  through the trigram index (PostgreSQL ``pg_trgm`` GIN; SQLite FTS5 trigram); shorter terms filter
  the matches further; a query made only of terms shorter than 3 characters is a name prefix/equality
  search (trigrams need 3 characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from fairspot.core import newest_first
from fairspot.opendata.models import PublishedResult

MAX_QUERY = 100
MAX_PAGE = 1000
CODE_RE = re.compile(r"^(?=.*\d)[0-9A-Za-z]{6,18}$")
FTS_TABLE = "opendata_publishedresult_fts"
HIGHEST = "\U0010ffff"


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


class BadQuery(ValueError):
    """The request asked for something that cannot be answered (→ 400)."""


def clean_query(q: str | None) -> str:
    q = " ".join((q or "").split())
    if len(q) > MAX_QUERY:
        raise BadQuery(f"The search is longer than {MAX_QUERY} characters.")
    return q


def parse_page(value: str | None) -> int:
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadQuery("The page number is not a whole number.") from None
    if number < 1:
        raise BadQuery("Page numbers start at 1.")
    if number > MAX_PAGE:
        raise BadQuery(f"Pages beyond {MAX_PAGE} are not served; use changed_since or the bulk downloads.")
    return number


def is_code(q: str) -> bool:
    return bool(CODE_RE.match(q))


def _prefix(qs: QuerySet, field: str, prefix: str) -> QuerySet:
    """``field`` starts with ``prefix``, in a form the b-tree index serves on either database."""
    if connection.vendor == "postgresql":
        return qs.filter(**{f"{field}__startswith": prefix})  # LIKE 'x%' on varchar_pattern_ops
    return qs.filter(**{f"{field}__gte": prefix, f"{field}__lt": prefix + HIGHEST})


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _name_ids(terms: list[str], offset: int, limit: int) -> list[int] | None:
    """Ids of a trigram name search, newest first; None when no term is long enough for trigrams."""
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    if not long_terms:
        return None
    if connection.vendor == "sqlite":
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant name
        params: list = [" AND ".join(_fts_phrase(t) for t in long_terms)]
        for term in short_terms:
            sql += r" AND target_name LIKE %s ESCAPE '\'"
            params.append("%" + term.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%")
        sql += " ORDER BY rowid DESC LIMIT %s OFFSET %s"
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
    qs = PublishedResult.objects.all()
    for term in terms:
        qs = qs.filter(target_name__icontains=term)  # UPPER(name) LIKE UPPER('%t%') — the GIN index
    ids = qs.order_by("-id").values_list("id", flat=True)[offset : offset + limit]
    sql, params = ids.query.get_compiler(connection=connection).as_sql()
    return [row[0] for row in newest_first.rows(sql, params)]  # whichever plan PostgreSQL picks, bounded


def _search_ids(q: str, offset: int, limit: int) -> list[int]:
    qs = PublishedResult.objects.all()
    if is_code(q):
        code = q.upper()
        qs = qs.filter(target_identifier=code) if len(code) == 18 else _prefix(qs, "target_identifier", code)
    else:
        terms = q.split(" ")
        ids = _name_ids(terms, offset, limit)
        if ids is not None:
            return ids
        # Only one- and two-character terms (华远, 便利): too short for the trigram index, so the names are
        # scanned newest first and the scan stops at the page's end. Chinese names are short: a
        # two-character search must find a name that contains it anywhere, not only at its start.
        for term in terms:
            qs = qs.filter(target_name__icontains=term)
    return list(qs.order_by("-id").values_list("id", flat=True)[offset : offset + limit])


def search(q: str, page: int, size: int) -> Page:
    """One page of published results matching ``q`` (all results when empty), newest first."""
    offset = (page - 1) * size
    if q:
        ids = _search_ids(q, offset, size + 1)
        by_id = {row.pk: row for row in PublishedResult.objects.filter(pk__in=ids[:size])}
        rows = [by_id[i] for i in ids[:size] if i in by_id]
        return Page(rows, page, len(ids) > size)
    rows = list(PublishedResult.objects.order_by("-id")[offset : offset + size + 1])
    return Page(rows[:size], page, len(rows) > size)


def changed_since(since: datetime, q: str, page: int, size: int) -> Page:
    """Rows whose published content changed at or after ``since``, oldest change first."""
    qs = PublishedResult.objects.filter(updated_at__gte=since)
    if q:
        if is_code(q):
            code = q.upper()
            qs = (
                qs.filter(target_identifier=code)
                if len(code) == 18
                else _prefix(qs, "target_identifier", code)
            )
        else:
            for term in q.split(" "):
                qs = qs.filter(target_name__icontains=term)
    offset = (page - 1) * size
    rows = list(qs.order_by("updated_at", "id")[offset : offset + size + 1])
    return Page(rows[:size], page, len(rows) > size)


def latest(limit: int) -> list[PublishedResult]:
    return list(PublishedResult.objects.order_by("-id")[:limit])


def all_rows():
    """Every published result, in publication order, streamed (bulk downloads)."""
    return PublishedResult.objects.order_by("id").iterator(chunk_size=5000)
