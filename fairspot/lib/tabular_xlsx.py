"""XLSX reading for fairspot.lib.tabular: zip bombs refused from the zip directory, then the first
worksheet streamed with openpyxl's read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from fairspot.lib.cells import cell_text, neutralize
from fairspot.lib.i18n import lazy_format
from fairspot.lib.table import NOT_XLSX, Table, TableError

# XLSX (zip) limits, checked on the zip directory before openpyxl touches the file. Python's zipfile
# stops at the declared size of a member, so a member cannot inflate to more than the directory says.
MAX_XLSX_MEMBERS = 10_000
MAX_XLSX_UNCOMPRESSED = 2 * 1024**3  # absolute cap on the sum of the members' sizes
XLSX_UNCOMPRESSED_FACTOR = 20  # ... and at most this many times max_bytes, when a max_bytes is given
MAX_XLSX_RATIO = 100  # per member: uncompressed size / compressed size
XLSX_RATIO_MIN_SIZE = 1024 * 1024  # the ratio is only checked for members larger than this


def _check_zip(handle: IO[bytes], max_bytes: int | None) -> None:
    """Refuse zip bombs and broken archives from the zip directory alone (nothing is inflated)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TableError(NOT_XLSX) from exc
    finally:
        handle.seek(0)
    too_big = _("The workbook unpacks to too much data (it may be a “zip bomb”), so it was not opened.")
    if len(members) > MAX_XLSX_MEMBERS:
        raise TableError(too_big)
    limit = MAX_XLSX_UNCOMPRESSED
    if max_bytes is not None:
        limit = min(limit, XLSX_UNCOMPRESSED_FACTOR * max_bytes)
    if sum(member.file_size for member in members) > limit:
        raise TableError(too_big)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > XLSX_RATIO_MIN_SIZE and ratio > MAX_XLSX_RATIO:
            raise TableError(too_big)


def setup_xlsx(table: Table, handle: IO[bytes], max_bytes: int | None) -> None:
    _check_zip(handle, max_bytes)
    import openpyxl  # imported here: most requests never read a workbook

    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ParseError, ValueError...) on bad files
        raise TableError(NOT_XLSX) from exc
    table._workbook = workbook
    if not workbook.worksheets:
        raise TableError(_("The workbook has no worksheet."))
    sheet = workbook.worksheets[0]
    table._declared_rows = sheet.max_row
    sheet.reset_dimensions()  # a wrong <dimension> (some generators write A1) must not cut rows off
    table._records = _xlsx_records(table, sheet)


def _xlsx_records(table: Table, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    rows = sheet.iter_rows(values_only=False)  # gaps are filled, so the n-th row is row n
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # malformed XML inside the sheet, bad shared-string index, ...
            raise TableError(
                lazy_format(
                    _("Row %(row)s of the workbook cannot be read: the file is damaged."),
                    row=table._record + 1,
                ),
                row=table._record + 1,
            ) from exc
        table._record += 1
        yield table._record, [_xlsx_cell(cell) for cell in row]


def _xlsx_cell(cell: Any) -> str:
    value = cell.value
    if isinstance(value, str):
        # Typed as '=1+2 in Excel, a cell holds "=1+2" with the quotePrefix style: give the apostrophe
        # back, as CSV would have it, so the import layer treats it as text rather than a formula.
        if value[:1] in ("=", "+", "-", "@", "'") and _quote_prefixed(cell):
            value = neutralize(value)
        return value.strip()
    return cell_text(value).strip()


def _quote_prefixed(cell: Any) -> bool:
    try:
        return bool(cell.style_array.quotePrefix)
    except (AttributeError, IndexError, KeyError):
        return False
