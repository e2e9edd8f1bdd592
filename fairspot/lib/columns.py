"""Matching a file's header cells to the fields an import expects (Chinese or English labels)."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

# What a template marks required columns with; removed (repeatedly) before labels are compared.
_REQUIRED_MARK = re.compile(r"^\*+|\*+$|\((必填|必须|required)\)$")


def normalize_label(text: str) -> str:
    """The comparison key of a header text.

    NFKC (full-width → half-width, ``（`` → ``(``, ``＊`` → ``*``), case-folded, all whitespace removed
    (also inside: ``统一社会 信用代码`` and wrapped header cells match), then a leading or trailing
    ``*`` and a trailing ``(必填)`` / ``(required)`` stripped.
    """
    key = "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())
    while True:
        stripped = _REQUIRED_MARK.sub("", key)
        if stripped == key:
            return key
        key = stripped


@dataclass(frozen=True)
class Column:
    """A field an import reads: its name in code, the header texts meaning it, whether it must be there."""

    field: str
    labels: tuple[str, ...]
    required: bool = False

    def __post_init__(self) -> None:
        if not self.labels:
            raise ValueError(f"column {self.field!r} needs at least one label")


@dataclass
class ColumnMap:
    """Result of :func:`map_columns`."""

    index: dict[str, int]  # field -> 0-based column index (the first column that gave it)
    unknown: list[str] = field(default_factory=list)  # header cells that matched no column (as in the file)
    missing: list[str] = field(default_factory=list)  # required fields absent, as their first label
    duplicated: list[str] = field(default_factory=list)  # fields given by two or more columns, first label

    @property
    def ok(self) -> bool:
        """No required column missing and none given twice (unknown columns are only a warning)."""
        return not self.missing and not self.duplicated

    def value(self, cells: Sequence[str], field_name: str, default: str = "") -> str:
        """The cell of ``field_name`` in a row, or ``default`` if the file has no such column/cell."""
        idx = self.index.get(field_name)
        if idx is None or idx >= len(cells):
            return default
        return cells[idx]


def map_columns(header: Sequence[str], columns: Sequence[Column]) -> ColumnMap:
    """Find each column's position in ``header``.

    Labels match after :func:`normalize_label`. Empty header cells are ignored. A ValueError means the
    ``columns`` themselves are inconsistent (one label used by two fields): a programming error.
    """
    lookup: dict[str, Column] = {}
    for column in columns:
        for label in column.labels:
            key = normalize_label(label)
            other = lookup.setdefault(key, column)
            if other.field != column.field:
                raise ValueError(f"label {label!r} is used by both {other.field!r} and {column.field!r}")
    result = ColumnMap(index={})
    for position, text in enumerate(header):
        key = normalize_label(text)
        if not key:
            continue
        column = lookup.get(key)
        if column is None:
            result.unknown.append(text)
        elif column.field in result.index:
            if column.labels[0] not in result.duplicated:
                result.duplicated.append(column.labels[0])
        else:
            result.index[column.field] = position
    result.missing = [c.labels[0] for c in columns if c.required and c.field not in result.index]
    return result
