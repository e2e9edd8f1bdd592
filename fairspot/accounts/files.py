"""Reading the set-up tables: one workbook with sheets 部门 and 用户 (or the first two), or two CSV files."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from fairspot.lib.tabular import TableError, open_table

MAX_BYTES = 10 * 1024 * 1024
Table = tuple[list[str], list[tuple[int, list[str]]]]
SHEETS = (("部门", "departments"), ("用户", "users"))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv(path: Path) -> Table:
    with open_table(path, max_bytes=MAX_BYTES) as table:
        return list(table.header), list(table.rows())


def _workbook(path: Path) -> tuple[Table, Table]:
    from openpyxl import load_workbook

    if path.stat().st_size > MAX_BYTES:
        raise TableError(_("The file is larger than the %(mb)d MB allowed.") % {"mb": MAX_BYTES // 2**20})
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, damaged zip, ...
        raise TableError(_("The file is not a readable Excel workbook.")) from exc
    sheets = {ws.title.strip().lower(): ws for ws in book.worksheets}
    chosen = []
    for position, names in enumerate(SHEETS):
        sheet = next((sheets[n] for n in names if n in sheets), None)
        if sheet is None and len(book.worksheets) > position:
            sheet = book.worksheets[position]
        if sheet is None:
            raise TableError(_("The workbook needs two sheets: 部门 and 用户."))
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        header = rows[0] if rows else []
        while header and not header[-1]:
            header = header[:-1]
        chosen.append((header, [(n, cells) for n, cells in enumerate(rows[1:], start=2)]))
    book.close()
    return chosen[0], chosen[1]


def read_setup_files(paths: list[Path]) -> tuple[Table, Table]:
    """(departments, users), each (header, [(row number, cells)])."""
    if len(paths) == 1 and paths[0].suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook(paths[0])
    if len(paths) == 2:
        return _csv(paths[0]), _csv(paths[1])
    raise TableError(
        _("Give one workbook (sheets 部门 and 用户) or two CSV files (departments, then users).")
    )
