"""Streaming reading of uploaded CSV and XLSX tables that never trusts the file.

``open_table(path)`` decides the format from the content (not the file name), reads the header and
returns a :class:`Table` whose :meth:`Table.rows` streams the data rows with their row number as a
spreadsheet shows it. Memory stays bounded whatever the file: CSV is decoded in chunks; XLSX is checked
for zip bombs before openpyxl opens it, then read with openpyxl's read-only (streaming) mode.

Everything wrong with the file as a whole raises :class:`TableError` (translatable message, and the
row when known). Problems of single rows are left to the caller, which sees every row: a row may have
more cells than the header (:func:`extra_cells`), and ``Table.row_count == 0`` after the loop means the
file had a header but no data rows (:data:`NO_DATA_ROWS`).

XML safety: openpyxl parses with defusedxml when that is installed, else with the standard library,
whose expat (>= 2.4.1, Python 3.11 ships 2.5) refuses entity-expansion ("billion laughs") attacks and
never loads external entities.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from fairspot.lib.cells import cell_text, neutralize
from fairspot.lib.columns import Column, ColumnMap, map_columns, normalize_label
from fairspot.lib.i18n import lazy_format

__all__ = [
    "NO_DATA_ROWS",
    "Column",
    "ColumnMap",
    "Table",
    "TableError",
    "extra_cells",
    "map_columns",
    "normalize_label",
    "open_table",
]

SNIFF_BYTES = 64 * 1024  # the start of a file that decides encoding/format and must hold the header
READ_CHUNK = 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024  # one physical CSV line; a longer one is not a table
MAX_COLUMNS = 1000  # header cells
MAX_HEADER_CELL_CHARS = 500
CONTROL_CHAR_LIMIT = 0.01  # share of control characters (other than tab/CR/LF) allowed in the sniffed text
CONTROL_CHAR_MIN = 16  # ... and never refuse a file for fewer than this many

# XLSX (zip) limits, checked on the zip directory before openpyxl touches the file. Python's zipfile
# stops at the declared size of a member, so a member cannot inflate to more than the directory says.
MAX_XLSX_MEMBERS = 10_000
MAX_XLSX_UNCOMPRESSED = 2 * 1024**3  # absolute cap on the sum of the members' sizes
XLSX_UNCOMPRESSED_FACTOR = 20  # ... and at most this many times max_bytes, when a max_bytes is given
MAX_XLSX_RATIO = 100  # per member: uncompressed size / compressed size
XLSX_RATIO_MIN_SIZE = 1024 * 1024  # the ratio is only checked for members larger than this

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_LINE_END = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

NO_DATA_ROWS = _("The file has a header but no data rows.")
_EMPTY = _("The file is empty.")
_NOT_TEXT = _(
    "The file is not a table: it is neither a text (CSV) file nor an Excel workbook (.xlsx). "
    "Save it as CSV (UTF-8) or .xlsx and try again."
)
_NOT_XLSX = _(
    "The file is not a valid XLSX workbook (it may be damaged, or another format renamed to .xlsx)."
)


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
        self._lines: _Lines | None = None
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
            raise TableError(_EMPTY)
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


def open_table(
    source: str | Path | IO[bytes], *, max_bytes: int | None = None, name: str | None = None
) -> Table:
    """Open a CSV or XLSX table and read its header; raise :class:`TableError` if the file is unusable.

    ``source`` is a path or a seekable binary file (not closed by :meth:`Table.close`). The format is
    decided by the content; ``name`` (default: the path) only serves to refuse a file called ``.xlsx``
    that is not a workbook. ``max_bytes`` refuses larger files before anything is read.
    """
    if isinstance(source, str | os.PathLike):
        handle: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by Table.close() or below
        owns = True
        name = name or os.fspath(source)
    else:
        handle, owns = source, False
    try:
        return _open(handle, owns, max_bytes=max_bytes, name=name or "")
    except BaseException:
        if owns:
            handle.close()
        raise


def _open(handle: IO[bytes], owns: bool, *, max_bytes: int | None, name: str) -> Table:
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    if max_bytes is not None and size > max_bytes:
        raise TableError(
            lazy_format(
                _("The file is %(size)s; at most %(limit)s are allowed."),
                size=_LazySize(size),
                limit=_LazySize(max_bytes),
            )
        )
    if size == 0:
        raise TableError(_EMPTY)
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if head.startswith(_ZIP_MAGIC):
        table = Table("xlsx", handle, owns, size)
        _setup_xlsx(table, handle, max_bytes)
    elif head.startswith(_OLE_MAGIC):
        raise TableError(
            _(
                "This is an old Excel (.xls) file or a password-protected workbook, which cannot be read. "
                "Save it as .xlsx (without a password) or CSV and try again."
            )
        )
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise TableError(_NOT_XLSX)
    else:
        table = Table("csv", handle, owns, size)
        _setup_csv(table, handle, head, size)
    table._read_header()
    return table


class _LazySize:
    """A byte count rendered as "1.2 MB" in the active language when the message is shown."""

    def __init__(self, size: int):
        self.size = size

    def __str__(self) -> str:
        return str(filesizeformat(self.size))


# --- CSV -------------------------------------------------------------------------------------------


# Byte-order marks: (bytes, reported encoding, codec of the bytes after the mark)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),  # Excel's "Unicode text (*.txt)", tab-separated
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


def _setup_csv(table: Table, handle: IO[bytes], head: bytes, size: int) -> None:
    complete = size <= len(head)
    bom, encoding, codec = next(((b, e, c) for b, e, c in _BOMS if head.startswith(b)), (b"", "", "utf-8"))
    body = head[len(bom) :]
    if b"\x00" in body and not codec.startswith("utf-16"):
        raise TableError(_NOT_TEXT)
    try:
        text = codecs.getincrementaldecoder(codec)().decode(body, final=complete)
    except UnicodeDecodeError as exc:
        if bom:
            raise TableError(_not_decodable(codec)) from exc
        # GBK/GB2312 (GB18030 is their superset): what Excel and WPS save as "CSV" on a Chinese Windows.
        # (A start that mixes UTF-8 and GBK comes out garbled here; its header then matches no column.)
        codec = "gb18030"
        try:
            text = codecs.getincrementaldecoder(codec)().decode(body, final=complete)
        except UnicodeDecodeError:
            raise TableError(_NOT_TEXT) from None
    if not text.strip():
        raise TableError(_EMPTY if complete else _NOT_TEXT)
    if "\x00" in text:
        raise TableError(_NOT_TEXT)
    controls = len(_CONTROL.findall(text))
    if controls >= CONTROL_CHAR_MIN and controls > len(text) * CONTROL_CHAR_LIMIT:
        raise TableError(_NOT_TEXT)
    handle.seek(len(bom))
    lines = _Lines(handle, encoding or codec, codec, switchable=not bom and body.isascii())
    lines.budget = SNIFF_BYTES  # the header must be complete within the sniffed part
    table._lines = lines
    reader = csv.reader(lines, delimiter=_delimiter(text))
    table._records = _csv_records(table, reader, lines)


def _not_decodable(codec: str) -> str:
    return lazy_format(
        _(
            "The file has bytes that are not %(encoding)s text, so it is not a readable table. "
            "Save it as CSV (UTF-8) or .xlsx and try again."
        ),
        encoding=codec.upper(),
    )


def _delimiter(text: str) -> str:
    """Comma; a tab or a semicolon only if the first non-empty line has no comma but has one of those.

    (A rule rather than csv.Sniffer, which guesses unpredictably on a single line.)
    """
    first = next((line for line in _LINE_END.split(text) if line.strip()), "")
    if "," in first:
        return ","
    if "\t" in first:
        return "\t"
    if ";" in first:
        return ";"
    return ","


def _csv_records(table: Table, reader: Iterator[list[str]], lines: _Lines) -> Iterator[tuple[int, list[str]]]:
    strip = str.strip
    try:
        while not table.header_row:  # one record at a time until the header has been found
            raw = next(reader, None)
            if raw is None:
                return
            table._record += 1
            yield table._record, list(map(strip, raw))
        lines.budget = None  # the header has been read
        for raw in reader:
            table._record += 1
            yield table._record, list(map(strip, raw))
    except TableError as exc:
        if exc.row is None and table.header_row:  # a data row, not the file as a whole
            exc.row = table._record + 1
        raise
    except csv.Error as exc:
        raise TableError(
            lazy_format(
                _("Row %(row)s cannot be read as CSV: %(detail)s"), row=table._record + 1, detail=exc
            ),
            row=table._record + 1,
        ) from exc


class _Lines:
    """Decoded lines (with their line ends, split on CR LF / CR / LF only) of a binary CSV stream.

    When every byte so far was ASCII (``switchable``), bytes that are not UTF-8 switch the decoder to
    GB18030 — exact, since ASCII is the same in both. Otherwise undecodable bytes, a NUL, a line over
    :data:`MAX_LINE_CHARS` or no header within ``budget`` characters raise :class:`TableError`.
    """

    def __init__(self, handle: IO[bytes], encoding: str, codec: str, *, switchable: bool):
        self.encoding = encoding
        self.budget: int | None = None
        self._handle = handle
        self._codec = codec
        self._decoder = codecs.getincrementaldecoder(self._codec)()
        self._switchable = switchable
        self._chars = 0
        self._error: TableError | None = None
        self._rest = ""  # what _checked_lines left of its buffer (an unfinished line)

    def __iter__(self) -> Iterator[str]:
        # The lines of a chunk go to the csv reader as a list (no Python code per line) when there is
        # nothing to check line by line; else one by one through _check (NUL, header budget).
        return chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[Iterable[str]]:
        buffer = ""
        while True:
            chunk = self._handle.read(READ_CHUNK)
            final = not chunk
            buffer += self._decode(chunk, final)
            split = self._split(buffer, final) if self.budget is None and "\x00" not in buffer else None
            if split is not None:
                lines, buffer = split
                yield lines
            else:
                yield self._checked_lines(buffer, final)  # consumed in full before we get here again
                buffer = self._rest
            if self._error is not None:
                raise self._error
            if len(buffer) > MAX_LINE_CHARS:
                self._check(buffer[:MAX_LINE_CHARS])
                raise TableError(_("A line of the file is too long: this is not a table."))
            if final:
                if buffer:
                    yield (self._check(buffer),)
                return

    @staticmethod
    def _split(buffer: str, final: bool) -> tuple[list[str], str] | None:
        """``buffer`` split like _LINE_END does (lines with their ends, and the unfinished rest), or None
        if str.splitlines() would split it differently (it also breaks lines on \\v, \\f, U+2028...)."""
        lines = buffer.splitlines(True)
        if not lines:
            return lines, ""
        end = lines[-1][-1]
        rest = "" if end == "\n" or (end == "\r" and final) else lines.pop()  # CR: maybe half of CR LF
        breaks = buffer.count("\n")
        if "\r" in buffer:
            breaks += buffer.count("\r") - buffer.count("\r\n")
        # Each line kept must end with CR LF, CR or LF; a break of another kind may only end ``rest``.
        if breaks != len(lines) + (rest[-1:] == "\r"):
            return None
        return lines, rest

    def _checked_lines(self, buffer: str, final: bool) -> Iterator[str]:
        start = 0
        for match in _LINE_END.finditer(buffer):
            if match.end() == len(buffer) and match.group() == "\r" and not final:
                break  # may be the first half of CR LF
            yield self._check(buffer[start : match.end()])
            start = match.end()
        self._rest = buffer[start:]

    def _decode(self, chunk: bytes, final: bool) -> str:
        pending = self._decoder.getstate()[0]
        try:
            text = self._decoder.decode(chunk, final)
        except UnicodeDecodeError:
            if self._switchable and not pending:  # all ASCII so far: the rest may be GBK
                self._switchable = False
                self._codec = self.encoding = "gb18030"
                self._decoder = codecs.getincrementaldecoder(self._codec)()
                return self._decode(chunk, final)
            # Hand out the lines before the bad bytes first, so the error names the right row.
            data = pending + chunk
            try:
                data.decode(self._codec)
            except UnicodeDecodeError as exc:
                self._error = TableError(_not_decodable(self._codec))
                return data[: exc.start].decode(self._codec)
            raise  # pragma: no cover - the incremental and the one-shot decoder always agree
        if self._switchable and not chunk.isascii():
            self._switchable = False
        return text

    def _check(self, line: str) -> str:
        if "\x00" in line:
            raise TableError(_("The file contains NUL bytes, so it is not a text table."))
        self._chars += len(line)
        if self.budget is not None and self._chars > self.budget:
            raise TableError(_NOT_TEXT)
        return line


# --- XLSX ------------------------------------------------------------------------------------------


def _check_zip(handle: IO[bytes], max_bytes: int | None) -> None:
    """Refuse zip bombs and broken archives from the zip directory alone (nothing is inflated)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TableError(_NOT_XLSX) from exc
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


def _setup_xlsx(table: Table, handle: IO[bytes], max_bytes: int | None) -> None:
    _check_zip(handle, max_bytes)
    import openpyxl  # imported here: most requests never read a workbook

    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ParseError, ValueError...) on bad files
        raise TableError(_NOT_XLSX) from exc
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
