"""All-or-nothing streaming imports of CSV/XLSX lists.

A concrete importer declares its columns, turns each row into a value (or records row errors) and
writes batches. The whole file runs inside one transaction; if any row is bad, nothing is written:
the transaction is rolled back and the report lists every bad row (row number as a spreadsheet shows
it, the column, the reason). Writing stops at the first bad row, validation goes on to the end.

Large files (at least :data:`PARALLEL_MIN_BYTES`, started from the main thread of a single-threaded
process such as a management command) are read and parsed by a forked worker process while this process
writes: the worker sends the parsed rows and the row errors in order, in chunks; duplicate keys, the
writes and the report stay here, so the report is the same as when everything runs in-process. Only
importers whose parsing needs no database (``parse_in_worker = True``) do this.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import queue as queue_module
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, connections, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from fairspot.lib.cells import FORMULA_PREFIXES, check_imported
from fairspot.lib.columns import Column, map_columns
from fairspot.lib.tabular import TableError, open_table

MAX_REPORTED_ERRORS = 1000
BATCH_SIZE = 2000
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # smaller files are parsed in-process (unless options["parallel"])
CHUNK_ROWS = 10_000  # rows per message from the parsing worker
QUEUE_CHUNKS = 8  # chunks the worker may read ahead of the writer


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
            source: _InProcess | _InWorker = _InWorker(table, parser)
        else:
            source = _InProcess(table, parser)
        with source, _gc_paused(isinstance(source, _InWorker)):
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


class WorkerFailed(RuntimeError):
    """The parsing worker process failed unexpectedly (its traceback is the message)."""


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies
_inherited_connections: list[Any] = []  # a worker keeps its parent's DB handles alive, unused


def _no_database(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("an import worker process must not use the database")


def _detach_databases() -> None:
    """In a forked worker: never use (nor close) the parent's database connections."""
    for conn in connections.all(initialized_only=True):
        _inherited_connections.append(conn.connection)  # closing it here would end the parent's session
        conn.connection = None
        conn.ensure_connection = _no_database
        conn.connect = _no_database


class _InWorker:
    """Rows read and parsed by a forked worker process, received in chunks, in order.

    The worker owns the open table from the fork on (this process never reads it again); it sends
    ``("rows", percent, entries)`` messages, then ``("done",)``, or ``("table_error", message, row,
    column)`` after the rows before a damaged one, or ``("failed", traceback)``.
    """

    def __init__(self, table, parser: _RowParser):
        self.table = table
        self.parser = parser
        self.percent = 0
        self.process: Any = None
        self.queue: Any = None

    def __enter__(self) -> _InWorker:
        context = multiprocessing.get_context("fork")
        self.queue = context.Queue(maxsize=QUEUE_CHUNKS)
        self.process = context.Process(
            target=_worker_main,
            args=(self.table, self.parser, self.queue, translation.get_language(), os.getpid()),
            name="fairspot-import-parser",
            daemon=True,
        )
        self.process.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.is_alive():  # stopped early (an exception here): it may be blocked on a full queue
            process.kill()
        process.join()
        self.queue.close()
        self.queue.cancel_join_thread()

    def _get(self) -> tuple:
        while True:
            try:
                return self.queue.get(timeout=1.0)
            except queue_module.Empty:
                if not self.process.is_alive():
                    try:  # it may have sent its last message just before it exited
                        return self.queue.get(timeout=1.0)
                    except queue_module.Empty:
                        raise WorkerFailed(
                            f"the import worker exited with code {self.process.exitcode}"
                        ) from None

    def __iter__(self) -> Iterator[tuple[int, Any, Any]]:
        while True:
            message = self._get()
            kind = message[0]
            if kind == "rows":
                self.percent = message[1]
                yield from message[2]
            elif kind == "done":
                return
            elif kind == "table_error":
                raise TableError(message[1], row=message[2], column=message[3])
            else:
                raise WorkerFailed(message[1])

    def percent_read(self) -> int:
        return self.percent


def _die_with_parent(parent_pid: int) -> None:
    """The worker holds copies of the parent's database sockets: if the parent dies (even by SIGKILL),
    the worker must die at once, or the server keeps the parent's transaction and its locks open."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the parent check below and in _worker_main remains
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(table, parser: _RowParser, out, language: str | None, parent_pid: int = 0) -> None:
    if parent_pid:
        _die_with_parent(parent_pid)
    gc.disable()  # a short-lived process that makes no garbage cycles: spare it the collections
    _detach_databases()
    if language:
        translation.activate(language)
    entries: list[tuple[int, Any, Any]] = []
    chunk = min(1000, CHUNK_ROWS)  # small chunks first, so that the writer can start at once
    try:
        try:
            for entry in parser.entries(table.rows()):
                entries.append(entry)
                if len(entries) >= chunk:
                    out.put(("rows", table.percent_read(), entries))
                    entries = []
                    chunk = min(2 * chunk, CHUNK_ROWS)
        except TableError as exc:
            out.put(("rows", table.percent_read(), entries))
            out.put(("table_error", str(exc.message), exc.row, exc.column))
        else:
            out.put(("rows", table.percent_read(), entries))
            out.put(("done",))
    except BaseException:  # report anything else to the parent, which raises it
        out.put(("failed", traceback.format_exc()))
    finally:
        out.close()
        out.join_thread()


# --- bulk writing helpers (inside the import's transaction) -----------------------------------------


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """``(name, CREATE INDEX statement)`` of the table's indexes that back no constraint.

    The names are those Django's introspection lists as non-unique indexes; the statements come from the
    database's catalogue (``pg_get_indexdef``, ``sqlite_master.sql``), so running them again recreates
    exactly the same indexes. Empty for other databases.
    """
    vendor = connection.vendor
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        names = [
            name
            for name, info in sorted(constraints.items())
            if info["index"] and not info["unique"] and not info["primary_key"]
        ]
        if vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
                [connection.ops.quote_name(table)],
            )
        elif vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        else:
            return []
        statements = dict(cursor.fetchall())
    return [(name, statements[name]) for name in names if name in statements]


def drop_secondary_indexes(table: str) -> list[tuple[str, str]]:
    """Drop :func:`secondary_indexes`; returns them for :func:`create_indexes`.

    Only inside a transaction (the rollback of a failed import brings them back). On PostgreSQL this
    locks the table (ACCESS EXCLUSIVE) until the transaction ends.
    """
    if connection.get_autocommit() or (
        connection.vendor == "sqlite" and not connection.connection.in_transaction
    ):
        raise RuntimeError("secondary indexes may only be dropped inside a transaction")
    indexes = secondary_indexes(table)
    with connection.cursor() as cursor:
        for name, _statement in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes


def create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        for _name, statement in indexes:
            cursor.execute(statement)


def deferred_foreign_keys(table: str) -> list[str]:
    """PostgreSQL: names of the foreign keys from and to the table that are checked at commit (Django's
    default). Setting them IMMEDIATE runs the checks pending on the table, which CREATE INDEX requires."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferrable AND condeferred "
            "AND (conrelid = %s::regclass OR confrelid = %s::regclass) ORDER BY conname",
            [connection.ops.quote_name(table)] * 2,
        )
        return [name for (name,) in cursor.fetchall()]


def set_constraints(names: list[str], mode: str) -> None:
    """PostgreSQL: ``SET CONSTRAINTS names IMMEDIATE|DEFERRED`` for the rest of the transaction."""
    if names and mode in ("IMMEDIATE", "DEFERRED"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {', '.join(map(connection.ops.quote_name, names))} {mode}")


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
