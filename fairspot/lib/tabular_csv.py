"""CSV reading for fairspot.lib.tabular: encoding (UTF-8, GB18030, UTF-16 with BOM), delimiter, and the
decoded lines of the file in chunks, checked for NUL bytes, overlong lines and a header within the
sniffed start."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO

from django.utils.translation import gettext_lazy as _

from fairspot.lib.i18n import lazy_format
from fairspot.lib.table import EMPTY, NOT_TEXT, SNIFF_BYTES, Table, TableError

READ_CHUNK = 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024  # one physical CSV line; a longer one is not a table
CONTROL_CHAR_LIMIT = 0.01  # share of control characters (other than tab/CR/LF) allowed in the sniffed text
CONTROL_CHAR_MIN = 16  # ... and never refuse a file for fewer than this many
_LINE_END = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Byte-order marks: (bytes, reported encoding, codec of the bytes after the mark)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),  # Excel's "Unicode text (*.txt)", tab-separated
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


def setup_csv(table: Table, handle: IO[bytes], head: bytes, size: int) -> None:
    complete = size <= len(head)
    bom, encoding, codec = next(((b, e, c) for b, e, c in _BOMS if head.startswith(b)), (b"", "", "utf-8"))
    body = head[len(bom) :]
    if b"\x00" in body and not codec.startswith("utf-16"):
        raise TableError(NOT_TEXT)
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
            raise TableError(NOT_TEXT) from None
    if not text.strip():
        raise TableError(EMPTY if complete else NOT_TEXT)
    if "\x00" in text:
        raise TableError(NOT_TEXT)
    controls = len(_CONTROL.findall(text))
    if controls >= CONTROL_CHAR_MIN and controls > len(text) * CONTROL_CHAR_LIMIT:
        raise TableError(NOT_TEXT)
    handle.seek(len(bom))
    lines = CsvLines(handle, encoding or codec, codec, switchable=not bom and body.isascii())
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


def _csv_records(
    table: Table, reader: Iterator[list[str]], lines: CsvLines
) -> Iterator[tuple[int, list[str]]]:
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


class CsvLines:
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
            raise TableError(NOT_TEXT)
        return line
