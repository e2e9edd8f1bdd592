"""The open table that fairspot.lib.tabular hands out: :class:`Table` (header, rows, progress),
:class:`TableError`, and the limits and messages its CSV and XLSX readers share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from fairspot.lib.i18n import lazy_format

if TYPE_CHECKING:
    from fairspot.lib.tabular_csv import CsvLines

SNIFF_BYTES = 64 * 1024  # the start of a file that decides encoding/format and must hold the header
MAX_COLUMNS = 1000  # header cells
MAX_HEADER_CELL_CHARS = 500

NO_DATA_ROWS = _("The file has a header but no data rows.")
EMPTY = _("The file is empty.")
NOT_TEXT = _(
    "The file is not a table: it is neither a text (CSV) file nor an Excel workbook (.xlsx). "
    "Save it as CSV (UTF-8) or .xlsx and try again."
)
NOT_XLSX = _("The file is not a valid XLSX workbook (it may be damaged, or another format renamed to .xlsx).")


class TableError(Exception):
    """A problem with the file as a whole: ``message`` (translatable), ``row`` and ``column`` when known."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return str(self.message)


def extra_cells(header: list[str], cells: list[str]) -> bool:
    """True if the row has a non-empty cell to the right of the last header column (a row error)."""
    return any(cells[len(header) :])


def _tidy(cells: list[str], width: int) -> list[str]:
    """Trailing empty cells dropped, then padded with ``""`` to ``width``."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    del cells[end:]
    if end < width:
        cells.extend([""] * (width - end))
    return cells


class Table:
    """An open table. Use as a context manager; :meth:`rows` is a single pass over the data rows.

    * ``kind``: ``"csv"`` or ``"xlsx"``.
    * ``encoding``: for CSV ``"utf-8"``, ``"utf-8-sig"`` (with BOM), ``"gb18030"`` (GBK/GB2312 files) or
      ``"utf-16"`` (with BOM: Excel's "Unicode text"); None for XLSX. A CSV whose first 64 KB are pure
      ASCII starts as ``"utf-8"`` and switches to ``"gb18030"`` if later bytes are GBK.
    * ``header``: the header cells, stripped, trailing empty cells removed.
    * ``header_row``: its row number (1 unless the file starts with empty rows).
    * ``row_count``: data rows yielded so far.
    """

    kind: str
    header: list[str]

    def __init__(self, kind: str, handle: IO[bytes], owns_handle: bool, size: int):
        self.kind = kind
        self.header = []
        self.header_row = 0
        self.row_count = 0
        self._handle = handle
        self._owns_handle = owns_handle
        self._size = size
        self._records: Iterator[tuple[int, list[str]]] = iter(())
        self._lines: CsvLines | None = None
        self._workbook: Any = None
        self._declared_rows: int | None = None
        self._record = 0

    @property
    def encoding(self) -> str | None:
        return self._lines.encoding if self._lines else None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(row number, cells)`` for each data row; fully empty rows are skipped (but counted).

        Cells are stripped strings, padded with ``""`` to ``len(header)``. A row can have MORE cells than
        the header: the caller must check :func:`extra_cells` and report it as a row error.
        """
        width = len(self.header)
        for number, cells in self._records:
            if len(cells) != width:  # a row as wide as the header is tidy already (_tidy keeps it as is)
                cells = _tidy(cells, width)
            if cells[-1] or any(cells):
                self.row_count += 1
                yield number, cells

    def percent_read(self) -> int:
        """How far reading has got, 0–100: rows against the sheet's declared size for an XLSX that has one,
        else the position in the file (for XLSX, in the compressed sheet, which is most of the file)."""
        if self.kind == "xlsx" and self._declared_rows and self._declared_rows > 1:
            return min(100, self._record * 100 // self._declared_rows)
        try:
            position = self._handle.tell()
        except (OSError, ValueError):
            return 0
        return min(100, position * 100 // max(self._size, 1))

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None
        if self._owns_handle:
            self._handle.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _read_header(self) -> None:
        number, cells = next(((n, c) for n, c in self._records if _tidy(c, 0)), (0, []))
        if not cells:
            raise TableError(EMPTY)
        if len(cells) > MAX_COLUMNS:
            raise TableError(
                lazy_format(
                    _("The first row has %(count)s columns; at most %(limit)s are allowed."),
                    count=len(cells),
                    limit=MAX_COLUMNS,
                ),
                row=number,
            )
        if any(len(cell) > MAX_HEADER_CELL_CHARS for cell in cells):
            raise TableError(
                _("The first row does not look like a header row (a cell is very long)."), row=number
            )
        if cells[0].startswith("\ufeff"):
            cells[0] = cells[0][1:].strip()
        self.header = cells
        self.header_row = number
