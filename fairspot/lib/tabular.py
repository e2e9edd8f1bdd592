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

Parts: :mod:`fairspot.lib.table` (the Table, its errors), :mod:`fairspot.lib.tabular_csv`,
:mod:`fairspot.lib.tabular_xlsx`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from fairspot.lib.columns import Column, ColumnMap, map_columns, normalize_label
from fairspot.lib.i18n import lazy_format
from fairspot.lib.table import EMPTY, NO_DATA_ROWS, NOT_XLSX, SNIFF_BYTES, Table, TableError, extra_cells
from fairspot.lib.tabular_csv import setup_csv
from fairspot.lib.tabular_xlsx import setup_xlsx

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

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx


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
        raise TableError(EMPTY)
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if head.startswith(_ZIP_MAGIC):
        table = Table("xlsx", handle, owns, size)
        setup_xlsx(table, handle, max_bytes)
    elif head.startswith(_OLE_MAGIC):
        raise TableError(
            _(
                "This is an old Excel (.xls) file or a password-protected workbook, which cannot be read. "
                "Save it as .xlsx (without a password) or CSV and try again."
            )
        )
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise TableError(NOT_XLSX)
    else:
        table = Table("csv", handle, owns, size)
        setup_csv(table, handle, head, size)
    table._read_header()
    return table


class _LazySize:
    """A byte count rendered as "1.2 MB" in the active language when the message is shown."""

    def __init__(self, size: int):
        self.size = size

    def __str__(self) -> str:
        return str(filesizeformat(self.size))
