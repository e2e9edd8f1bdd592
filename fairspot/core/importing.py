"""All-or-nothing streaming imports of CSV/XLSX lists.

A concrete importer declares its columns, turns each row into a value (or records row errors) and
writes batches. The whole file runs inside one transaction; if any row is bad, nothing is written:
the transaction is rolled back and the report lists every bad row (row number as a spreadsheet shows
it, the column, the reason). Writing stops at the first bad row, validation goes on to the end.

Large files (at least :data:`PARALLEL_MIN_BYTES`, started from the main thread of a single-threaded
process such as a management command) are read and parsed by a forked worker process while this process
writes: the worker sends the parsed rows and the row errors in order, in chunks; duplicate keys, the
writes and the report stay here, so the report is the same as when everything runs in-process. Only
importers whose parsing needs no database (``parse_in_worker = True``) do this
(:mod:`fairspot.core.parse_worker`). Helpers for bulk writes: :mod:`fairspot.core.bulkdb`.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.core import versions
from fairspot.core.parse_worker import InWorker
from fairspot.lib.cells import FORMULA_PREFIXES, check_imported
from fairspot.lib.columns import Column, map_columns
from fairspot.lib.tabular import TableError, open_table

MAX_REPORTED_ERRORS = 1000
BATCH_SIZE = 2000
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # smaller files are parsed in-process (unless options["parallel"])


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportReport:
    kind: str
    file_name: str = ""
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
        }

    def summary(self) -> str:
        if not self.ok:
            return _("%(count)d error(s); nothing was written.") % {"count": self.error_count}
        return _("%(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class ImportFailed(Exception):
    """Raised inside the transaction to roll it back; carries the report."""

    def __init__(self, report: ImportReport):
        super().__init__(report.summary())
        self.report = report


class RowContext:
    """Collects the errors of one row while an importer parses it.

    With a report, errors go to it at once; with ``report=None`` they are kept in ``errors`` as
    ``(column, message)`` (message as text) for the driver to add in row order.
    """

    def __init__(self, report: ImportReport | None, row: int, labels: dict[str, str]):
        self.report = report
        self.row = row
        self.labels = labels
        self.failed = False
        self.errors: list[tuple[str | None, str]] = []

    def error(self, field_name: str | None, message: str) -> None:
        self.failed = True
        column = self.labels.get(field_name, field_name) if field_name else None
        if self.report is None:
            self.errors.append((column, str(message)))
        else:
            self.report.add_error(self.row, column, message)


ProgressCallback = Callable[[int, int], None]  # (rows done, percent of the file read)


class Importer:
    """Base class: subclasses set ``kind`` and ``columns`` and implement parse/key/write."""

    kind: str = ""
    columns: Sequence[Column] = ()
    # True if parse() and fast_parser()'s function use no database (lookups are loaded beforehand), so
    # that a worker process may parse the rows of a large file while this process writes.
    parse_in_worker: bool = False

    def __init__(self, *, actor, options: dict[str, Any] | None = None):
        self.actor = actor
        self.options = options or {}
        self.file_size = 0

    # --- hooks ---------------------------------------------------------------------------------
    def parse(self, values: dict[str, str], ctx: RowContext) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def key(self, parsed: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, batch: list[tuple[int, Any]], report: ImportReport) -> None:  # pragma: no cover
        raise NotImplementedError

    def bind_columns(self, present: set[str]) -> None:
        """Told which fields the file has, before the first row."""

    def finish(self, report: ImportReport) -> None:
        """Called once inside the transaction after the last batch (audit entry, post-processing)."""

    def begin(self, report: ImportReport) -> None:
        """Called once inside the transaction after bind_columns, before the first row is read."""

    def fast_parser(self, index: dict[str, int], width: int) -> Callable[[list[str]], Any] | None:
        """Optional: a function of a row's cells that returns what parse() would, for rows it can tell are
        valid, else None (the row then goes through the usual cell checks and parse()). ``index`` maps
        fields to cell positions; a row has ``width`` cells. Called after bind_columns."""
        return None

    # --- driver --------------------------------------------------------------------------------
    def run(
        self, path: Path, *, file_name: str = "", progress: ProgressCallback | None = None
    ) -> ImportReport:
        report = ImportReport(kind=self.kind, file_name=file_name or Path(path).name)
        report.sha256 = _sha256(path)
        self.file_size = os.path.getsize(path)
        try:
            with transaction.atomic():
                self._run(path, report, progress)
                if not report.ok:
                    raise ImportFailed(report)
                self.finish(report)
                versions.bump()  # bulk writes send no signals; figures derived from the data are stale
        except ImportFailed:
            pass
        except TableError as exc:
            report.add_error(exc.row, exc.column, str(exc.message))
        return report

    def _run(self, path: Path, report: ImportReport, progress: ProgressCallback | None) -> None:
        with open_table(path, max_bytes=self.options.get("max_bytes")) as table:
            mapping = map_columns(table.header, self.columns)
            labels = {
                c.field: _label_in_file(table.header, mapping.index.get(c.field), c) for c in self.columns
            }
            for unknown in mapping.unknown:
                report.warnings.append(_("Unknown column “%(name)s” was ignored.") % {"name": unknown})
            for missing in mapping.missing:
                report.add_error(1, missing, _("Required column is missing."))
            for dup in mapping.duplicated:
                report.add_error(1, dup, _("This column appears more than once."))
            if not report.ok:
                return
            self.bind_columns(set(mapping.index))
            self.begin(report)
            if not report.ok:  # begin() found the file unusable as a whole (e.g. no department anywhere)
                return
            self._rows(table, mapping.index, labels, report, progress)

    def _rows(self, table, index: dict[str, int], labels, report: ImportReport, progress) -> None:
        seen: dict[str, int] = {}
        batch: list[tuple[int, Any]] = []
        batch_size = BATCH_SIZE
        key_of = self.key
        parser = _RowParser(self, index, len(table.header), labels)
        if self._parse_in_worker():
            source: _InProcess | InWorker = InWorker(table, parser)
        else:
            source = _InProcess(table, parser)
        with source, _gc_paused(isinstance(source, InWorker)):
            for row_no, parsed, errors in source:
                report.rows += 1
                if parsed is None:
                    for column, message in errors:
                        report.add_error(row_no, column, message)
                    continue
                key = key_of(parsed)
                first = seen.setdefault(key, row_no)
                if first != row_no:
                    column = labels.get(self.key_field, self.key_field) if self.key_field else None
                    message = _("Duplicate key “%(key)s”: already given in row %(row)d.")
                    report.add_error(row_no, column, message % {"key": key, "row": first})
                    continue
                batch.append((row_no, parsed))
                if len(batch) >= batch_size:
                    # checks against the database even after an error; writes only while ok
                    self.write(batch, report)
                    batch = []
                    if progress:
                        progress(report.rows, source.percent_read())
        if report.rows == 0:
            report.add_error(2, None, _("The file has a header but no data rows."))
        if batch:
            self.write(batch, report)
        if progress:
            progress(report.rows, 100)

    key_field: str = ""

    def _parse_in_worker(self) -> bool:
        wanted = self.options.get("parallel")
        if not self.parse_in_worker or wanted is False:
            return False
        if "fork" not in multiprocessing.get_all_start_methods():
            return False
        if wanted:
            return True
        # Only from a single-threaded process (the command line, the import worker): forking a process
        # that runs other threads (a web server, a worker with --reload) is not safe.
        return (
            self.file_size >= PARALLEL_MIN_BYTES
            and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1
        )


@contextmanager
def _gc_paused(pause: bool) -> Iterator[None]:
    """No cyclic garbage collection while a large import streams millions of rows' tuples through this
    process (they are freed by reference counting; the collections only cost time). Only with a worker,
    i.e. in a single-threaded process: the setting is process-wide."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _RowParser:
    """Turns rows' cells into ``(row number, parsed, None)`` or ``(row number, None, errors)`` entries."""

    def __init__(self, importer: Importer, index: dict[str, int], width: int, labels: dict[str, str]):
        self.importer = importer
        self.items = list(index.items())
        self.width = width
        self.labels = labels
        self.fast = importer.fast_parser(index, width)

    def entries(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, Any, Any]]:
        """``self(row_no, cells)`` for each row, with the fast path inlined."""
        fast, width, slow = self.fast, self.width, self.slow
        if fast is None:
            for row_no, cells in rows:
                yield slow(row_no, cells)
            return
        for row_no, cells in rows:
            if len(cells) == width:
                parsed = fast(cells)
                if parsed is not None:
                    yield row_no, parsed, None
                    continue
            yield slow(row_no, cells)

    def slow(self, row_no: int, cells: list[str]) -> tuple[int, Any, list[tuple[str | None, str]] | None]:
        width = self.width
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            ctx = RowContext(None, row_no, self.labels)
            ctx.error(
                None,
                _("The row has %(n)d cells but the header has only %(w)d columns.")
                % {"n": len(cells), "w": width},
            )
            return row_no, None, ctx.errors
        ctx = RowContext(None, row_no, self.labels)
        values = _cell_values(cells, self.items, ctx)
        parsed = self.importer.parse(values, ctx)
        if ctx.failed or parsed is None:
            return row_no, None, ctx.errors
        return row_no, parsed, None


class _InProcess:
    """Rows parsed one by one as the driver asks for them."""

    def __init__(self, table, parser: _RowParser):
        self.table = table
        self.parser = parser

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def __iter__(self) -> Iterator[tuple[int, Any, Any]]:
        return self.parser.entries(self.table.rows())

    def percent_read(self) -> int:
        return self.table.percent_read()


def _cell_values(cells: list[str], items, ctx: RowContext) -> dict[str, str]:
    values: dict[str, str] = {}
    n = len(cells)
    for name, idx in items:
        value = cells[idx] if idx < n else ""
        if value and (value[0] in FORMULA_PREFIXES or value[0] == "'"):  # cheap test first: most cells pass
            value, problem = check_imported(value)
            if problem:
                ctx.error(name, problem)
                value = ""
        values[name] = value
    return values


def _label_in_file(header: list[str], idx: int | None, column: Column) -> str:
    if idx is not None and idx < len(header):
        return header[idx]
    return column.labels[0]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
