"""All-or-nothing streaming imports of CSV/XLSX lists.

A concrete importer declares its columns, turns each row into a value (or records row errors) and
writes batches. The whole file runs inside one transaction; if any row is bad, nothing is written:
the transaction is rolled back and the report lists every bad row (row number as a spreadsheet shows
it, the column, the reason). Writing stops at the first bad row, validation goes on to the end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.lib.cells import FORMULA_PREFIXES, check_imported
from fairspot.lib.columns import Column, map_columns
from fairspot.lib.tabular import TableError, open_table

MAX_REPORTED_ERRORS = 1000
BATCH_SIZE = 2000


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
    """Collects the errors of one row while an importer parses it."""

    def __init__(self, report: ImportReport, row: int, labels: dict[str, str]):
        self.report = report
        self.row = row
        self.labels = labels
        self.failed = False

    def error(self, field_name: str | None, message: str) -> None:
        self.failed = True
        column = self.labels.get(field_name, field_name) if field_name else None
        self.report.add_error(self.row, column, message)


ProgressCallback = Callable[[int, int], None]  # (rows done, percent of the file read)


class Importer:
    """Base class: subclasses set ``kind`` and ``columns`` and implement parse/key/write."""

    kind: str = ""
    columns: Sequence[Column] = ()

    def __init__(self, *, actor, options: dict[str, Any] | None = None):
        self.actor = actor
        self.options = options or {}

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

    # --- driver --------------------------------------------------------------------------------
    def run(
        self, path: Path, *, file_name: str = "", progress: ProgressCallback | None = None
    ) -> ImportReport:
        report = ImportReport(kind=self.kind, file_name=file_name or Path(path).name)
        report.sha256 = _sha256(path)
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
            self._rows(table, mapping.index, labels, report, progress)

    def _rows(self, table, index: dict[str, int], labels, report: ImportReport, progress) -> None:
        seen: dict[str, int] = {}
        batch: list[tuple[int, Any]] = []
        width = len(table.header)
        items = list(index.items())
        for row_no, cells in table.rows():
            report.rows += 1
            ctx = RowContext(report, row_no, labels)
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                ctx.error(
                    None,
                    _("The row has %(n)d cells but the header has only %(w)d columns.")
                    % {"n": len(cells), "w": width},
                )
                continue
            values = _cell_values(cells, items, ctx)
            parsed = self.parse(values, ctx)
            if ctx.failed or parsed is None:
                continue
            key = self.key(parsed)
            first = seen.get(key)
            if first is not None:
                ctx.error(
                    self.key_field,
                    _("Duplicate key “%(key)s”: already given in row %(row)d.") % {"key": key, "row": first},
                )
                continue
            seen[key] = row_no
            batch.append((row_no, parsed))
            if len(batch) >= BATCH_SIZE:
                self.write(
                    batch, report
                )  # checks against the database even after an error; writes only while ok
                batch = []
                if progress:
                    progress(report.rows, table.percent_read())
        if report.rows == 0:
            report.add_error(2, None, _("The file has a header but no data rows."))
        if batch:
            self.write(batch, report)
        if progress:
            progress(report.rows, 100)

    key_field: str = ""


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


def iter_batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
