"""Writing lists as CSV or XLSX: Excel-friendly, formula-injection-safe, streaming (bounded memory).

Every text cell goes through :func:`fairspot.lib.cells.neutralize`, so a name like ``=HYPERLINK(...)``
is shown as text, and an import of the file (which unneutralizes) reads back exactly what was written.
Numbers stay numbers; dates and datetimes are written as ISO text (see
:func:`fairspot.lib.cells.cell_text`), which the importers parse.

XLSX text differs from CSV in two documented ways, both imposed by the XML inside the file:
control characters that XML cannot hold (``openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE``: U+0000–U+0008,
U+000B, U+000C, U+000E–U+001F, plus U+FFFE/U+FFFF and lone surrogates) are removed, and line ends are
written as LF (XML turns a bare CR into LF anyway). Excel also cuts a cell at 32,767 characters
(openpyxl truncates).
"""

from __future__ import annotations

import csv
import datetime
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.utils import timezone

from fairspot.lib.cells import cell_text, neutralize

__all__ = ["CONTENT_TYPES", "content_type", "filename", "iter_csv", "write_csv", "write_xlsx", "xlsx_text"]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_BOM = "\ufeff"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NUMBERS = (int, float, Decimal)


def _text(value: object) -> str:
    """A cell as neutralized text (numbers are not neutralized: ``-5`` is a number, not a formula)."""
    text = cell_text(value)
    return text if isinstance(value, _NUMBERS) else neutralize(text)


def xlsx_text(text: str) -> str:
    """``text`` as XLSX can hold it: XML-illegal characters removed, CR LF / CR turned into LF."""
    return _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class _Line:
    """A csv.writer target that keeps the last written line."""

    value = ""

    def write(self, text: str) -> None:
        self.value = text


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV file as a stream of byte chunks (one per row, the first with the UTF-8 BOM).

    Suits ``StreamingHttpResponse``. Lines end with CR LF; lone surrogates become ``?``.
    """
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow([_text(cell) for cell in header])
    yield (_BOM + line.value).encode("utf-8", "replace")
    for row in rows:
        writer.writerow([_text(cell) for cell in row])
        yield line.value.encode("utf-8", "replace")


def _sink(target: str | Path | IO[bytes]) -> tuple[IO[bytes], bool]:
    if isinstance(target, str | os.PathLike):
        return open(target, "wb"), True
    return target, False


def write_csv(target: str | Path | IO[bytes], header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a CSV file (UTF-8 with BOM so Excel shows Chinese, CR LF); return the number of data rows.

    ``target`` is a path or a writable binary stream (left open).
    """
    stream, owned = _sink(target)
    count = -1
    try:
        for chunk in iter_csv(header, rows):
            stream.write(chunk)
            count += 1
    finally:
        if owned:
            stream.close()
    return count


def write_xlsx(
    target: str | Path | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet_title: str = "data",
) -> int:
    """Write an XLSX workbook (openpyxl write-only mode); return the number of data rows.

    Text cells are explicit string cells (never formulas or error values: ``=1+2`` and ``#N/A`` stay
    text) AND neutralized, so a re-import round-trips. The header is bold and frozen.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for position, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(60, max(10, 2 * len(str(label)) + 4))

    def cell(value: object, font: Font | None = None) -> object:
        if value is None:
            return None
        if isinstance(value, bool | int | Decimal) and font is None:
            return value
        if isinstance(value, float) and font is None and math.isfinite(value):
            return value
        result = WriteOnlyCell(sheet, value=xlsx_text(_text(value)))
        result.data_type = "s"  # after the value: openpyxl infers "f" for "=..." and "e" for "#N/A"
        if font is not None:
            result.font = font
        return result

    sheet.append([cell(label, bold) for label in header])
    count = 0
    for row in rows:
        sheet.append([cell(value) for value in row])
        count += 1
    stream, owned = _sink(target)
    try:
        workbook.save(stream)
    finally:
        if owned:
            stream.close()
    return count


def content_type(fmt: str) -> str:
    """The HTTP Content-Type of ``"csv"`` or ``"xlsx"``; ValueError for anything else."""
    try:
        return CONTENT_TYPES[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}") from None


def filename(base: str, fmt: str, *, on: datetime.date | None = None) -> str:
    """``base-YYYYMMDD.fmt`` with today's local date (or ``on``), e.g. ``targets-20261128.xlsx``."""
    content_type(fmt)
    day = on or timezone.localdate()
    return f"{base}-{day:%Y%m%d}.{fmt}"
