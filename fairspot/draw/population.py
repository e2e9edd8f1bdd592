"""The population: who can be drawn, in which stratum, with which weight.

The canonical population file (what is hashed into the manifest and published) is UTF-8 CSV:

* header ``id`` followed by the spec's ``stratify_by`` columns in spec order, then the weight column
  when the design is πps; no other columns;
* one row per target, sorted by ``id`` (byte order of UTF-8, i.e. code-point order), no duplicates;
* every line ends with ``\\n`` (no ``\\r``, no BOM); a field is wrapped in double quotes only when it
  contains ``,`` or ``"`` (a ``"`` inside is doubled);
* identifiers match ``[0-9A-Za-z_.:/-]{1,128}`` (ASCII only: no look-alike characters, and every allowed
  character sorts after ``,`` so sorting lines sorts ids);
* stratum values are non-empty, without control characters or surrounding white space;
* weights are canonical decimals (``1.5``, not ``01.50``) greater than zero.

:class:`Population` holds the rows grouped by stratum, which is what the draw needs.
"""

from __future__ import annotations

import csv
import io
import operator
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from .canonical import canonical_decimal, parse_decimal
from .errors import CanonicalError, PopulationError, SpecError

_ID = r"[0-9A-Za-z_.:/-]{1,128}"  # the one rule for identifiers; below as text, as lines, as bytes
ID_RE = re.compile(_ID)
_IDS_TEXT_RE = re.compile(rf"(?:{_ID}\n)*")
_IDS_BLOB_RE = re.compile(_IDS_TEXT_RE.pattern.encode("ascii"))
COLUMN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CANON_DECIMAL_RE = re.compile(rb"(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")
POPULATION_FILE = "population.csv"
_ID_CHUNK = 100_000

Stratum = tuple[str, ...]


@dataclass(slots=True)
class Population:
    """Rows grouped by stratum. ``groups[s]`` lists the UTF-8 ids of stratum ``s`` (order not
    significant); ``weights[s]``, for πps, the canonical decimal weight of each id, in the same order."""

    stratify_by: tuple[str, ...]
    weight_column: str | None
    groups: dict[Stratum, list[bytes]]
    weights: dict[Stratum, list[str]] | None
    size: int

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", *self.stratify_by, *((self.weight_column,) if self.weight_column else ()))


def check_columns(stratify_by: Iterable[str], weight_column: str | None, *, where: str = "spec") -> None:
    seen = {"id"}
    for col in [*stratify_by, *([weight_column] if weight_column else [])]:
        if not isinstance(col, str) or not COLUMN_RE.fullmatch(col):
            raise SpecError(
                f"column name {col!r} is not allowed (ASCII letters, digits, _; not starting with a digit)",
                where=where,
            )
        if col in seen:
            raise SpecError(f"column {col!r} is named twice (or is 'id')", where=where)
        seen.add(col)


def _check_id(value: Any, where: str) -> bytes:
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise PopulationError(
            f"identifier {value!r} is not valid: use 1-128 ASCII letters, digits or - _ . : /", where=where
        )
    return value.encode("ascii")


def ids_valid(ids: list[Any]) -> bool:
    """Whether every item is an identifier (a ``str`` matching ``ID_RE``), checked at C speed: a
    province's millions at once. False names nobody; check one at a time to find who."""
    try:
        text = "\n".join(ids) + "\n"
    except TypeError:
        return False
    # an id with "\n" inside would read as two ids: the count of lines catches it
    return text.count("\n") == len(ids) and _IDS_TEXT_RE.fullmatch(text) is not None


def _check_value(value: Any, column: str, where: str) -> str:
    if not isinstance(value, str) or value == "":
        raise PopulationError(f"empty value in stratification column {column!r}", where=where)
    if _CONTROL_RE.search(value):
        raise PopulationError(f"control character in column {column!r}: {value!r}", where=where)
    if value != value.strip():
        raise PopulationError(f"leading or trailing white space in column {column!r}: {value!r}", where=where)
    return value


def _check_weight(value: Any, column: str, where: str) -> str:
    try:
        text = canonical_decimal(value, where=where)
    except CanonicalError:
        raise PopulationError(
            f"weight {value!r} in column {column!r} is not a decimal like 2.5", where=where
        ) from None
    if parse_decimal(text, where=where) <= 0:
        raise PopulationError(f"weight {value!r} in column {column!r} must be greater than zero", where=where)
    return text


def _csv_field(value: str) -> str:
    if "," in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _encode_fields(values: Iterable[str]) -> bytes:
    return ",".join(_csv_field(v) for v in values).encode("utf-8")


class _Builder:
    """Collects validated rows into groups; remembers where each came from for error messages."""

    def __init__(self, stratify_by: tuple[str, ...], weight_column: str | None, label: str) -> None:
        self.stratify_by = stratify_by
        self.weight_column = weight_column
        self.label = label  # e.g. "row" or "line"
        self.groups: dict[Stratum, list[bytes]] = {}
        self.weights: dict[Stratum, list[str]] | None = {} if weight_column else None
        self.positions = array("Q")  # row/line number of each row, in arrival order
        self.ids: list[bytes] = []

    def add(self, position: int, ident: Any, stratum: Stratum, weight: Any) -> None:
        where = f"{self.label} {position}"
        idb = _check_id(ident, where)
        group = self.groups.get(stratum)
        if group is None:
            for col, value in zip(self.stratify_by, stratum, strict=True):
                _check_value(value, col, where)
            group = self.groups[stratum] = []
            if self.weights is not None:
                self.weights[stratum] = []
        group.append(idb)
        if self.weights is not None:
            self.weights[stratum].append(_check_weight(weight, self.weight_column or "", where))
        self.ids.append(idb)
        self.positions.append(position)

    def finish(self) -> Population:
        if not self.ids:
            raise PopulationError("the population has no rows")
        ordered = sorted(self.ids)
        if any(map(operator.eq, ordered, islice(ordered, 1, None))):  # C-speed scan; slow path names rows
            seen: dict[bytes, int] = {}
            for ident, position in zip(self.ids, self.positions, strict=True):
                if ident in seen:
                    raise PopulationError(
                        f"duplicate id {ident.decode()!r} on {self.label}s {seen[ident]} and {position}"
                    )
                seen[ident] = position
        return Population(self.stratify_by, self.weight_column, self.groups, self.weights, len(self.ids))


def population_from_rows(
    rows: Iterable[Mapping[str, Any]], *, stratify_by: Iterable[str] = (), weight_column: str | None = None
) -> Population:
    """Build a :class:`Population` from mappings (``{"id": ..., column: value, ...}``); extra keys are
    ignored. Errors name the 1-based row number."""
    strat = tuple(stratify_by)
    check_columns(strat, weight_column)
    builder = _Builder(strat, weight_column, "row")
    needed = ["id", *strat, *([weight_column] if weight_column else [])]
    for n, row in enumerate(rows, start=1):
        for col in needed:
            if col not in row:
                if n == 1 and col != "id":
                    raise SpecError(f"the spec names column {col!r} which the population lacks", where="spec")
                raise PopulationError(f"missing column {col!r}", where=f"row {n}")
        stratum = tuple(row[c] for c in strat)
        builder.add(n, row["id"], stratum, row[weight_column] if weight_column else None)
    return builder.finish()


def read_population_csv(
    source: str | Path | bytes, *, stratify_by: Iterable[str] = (), weight_column: str | None = None
) -> Population:
    """Read an input CSV (UTF-8, optional BOM, any column order, extra columns ignored). Errors name
    CSV line numbers (the header is line 1)."""
    strat = tuple(stratify_by)
    check_columns(strat, weight_column)
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PopulationError(f"not valid UTF-8 at byte {exc.start}", where="population") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise PopulationError("the population file is empty", where="population") from None
    except csv.Error as exc:
        raise PopulationError(f"bad CSV: {exc}", where="population line 1") from None
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in index:
            raise PopulationError(f"column {name!r} appears twice in the header", where="population line 1")
        index[name] = i
    if "id" not in index:
        raise PopulationError("the header has no 'id' column", where="population line 1")
    for col in [*strat, *([weight_column] if weight_column else [])]:
        if col not in index:
            raise SpecError(
                f"the spec names column {col!r} which the population lacks (columns: {', '.join(header)})",
                where="spec",
            )
    id_at = index["id"]
    strat_at = [index[c] for c in strat]
    weight_at = index[weight_column] if weight_column else None
    width = len(header)
    builder = _Builder(strat, weight_column, "line")
    try:
        for row in reader:
            line = reader.line_num
            if len(row) != width:
                if not row or row == [""]:
                    continue  # blank line: spreadsheets like to leave one at the end
                raise PopulationError(
                    f"expected {width} fields, found {len(row)}", where=f"population line {line}"
                )
            stratum = tuple(row[i] for i in strat_at)
            builder.add(line, row[id_at], stratum, row[weight_at] if weight_at is not None else None)
    except csv.Error as exc:
        raise PopulationError(f"bad CSV: {exc}", where=f"population line {reader.line_num}") from None
    return builder.finish()


def canonical_population_bytes(population: Population) -> bytes:
    """The canonical population file (see module docstring)."""
    lines: list[bytes] = []
    extend = lines.extend
    for stratum, ids in population.groups.items():
        rest = b"," + _encode_fields(stratum) if stratum else b""
        if population.weights is None:
            extend([i + rest for i in ids] if rest else ids)
        else:
            ws = population.weights[stratum]
            extend([i + rest + b"," + w.encode("ascii") for i, w in zip(ids, ws, strict=True)])
    # Ids only use characters that sort after ",", so sorting whole lines sorts them by id.
    lines.sort()
    header = _encode_fields(population.columns)
    lines.append(b"")
    return header + b"\n" + b"\n".join(lines)


def parse_canonical_population(
    data: bytes,
    *,
    stratify_by: Iterable[str] = (),
    weight_column: str | None = None,
    where: str = POPULATION_FILE,
) -> Population:
    """Parse a canonical population file strictly: any deviation from the canonical form is an error
    naming the line."""
    strat = tuple(stratify_by)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PopulationError(f"not valid UTF-8 at byte {exc.start}", where=where) from None
    if b"\r" in data:
        raise PopulationError("contains a carriage return; lines must end with \\n only", where=where)
    if not data.endswith(b"\n"):
        raise PopulationError("the last line does not end with \\n", where=where)
    # read line by line: a province's file (10 million lines) is never held as a list of lines
    stream = io.BytesIO(data)
    header = _encode_fields(("id", *strat, *((weight_column,) if weight_column else ())))
    if stream.readline() != header + b"\n":
        raise PopulationError(f"header must be exactly {header.decode()!r}", where=f"{where} line 1")
    groups: dict[Stratum, list[bytes]] = {}
    weights: dict[Stratum, list[str]] | None = {} if weight_column else None
    by_rest: dict[bytes, Stratum] = {}
    ids: list[bytes] = []
    id_append = ids.append
    for n, line in enumerate(stream, start=2):
        ident, _, rest = line[:-1].partition(b",")
        id_append(ident)
        weight = b""
        if weight_column:
            rest, _, weight = rest.rpartition(b",")
            if not _CANON_DECIMAL_RE.fullmatch(weight) or weight == b"0":
                raise PopulationError(
                    f"weight {weight.decode()!r} is not a canonical decimal > 0", where=f"{where} line {n}"
                )
        stratum = by_rest.get(rest)
        if stratum is None:
            stratum = _decode_stratum(rest, strat, f"{where} line {n}")
            by_rest[rest] = stratum
            groups[stratum] = []
            if weights is not None:
                weights[stratum] = []
        groups[stratum].append(ident)
        if weights is not None:
            weights[stratum].append(weight.decode("ascii"))
    if not ids:
        raise PopulationError("the population has no rows", where=where)
    for start in range(0, len(ids), _ID_CHUNK):  # checked a chunk at a time, at C speed
        chunk = ids[start : start + _ID_CHUNK]
        if not _IDS_BLOB_RE.fullmatch(b"\n".join(chunk) + b"\n"):
            for n, ident in enumerate(chunk, start=2 + start):
                _check_id(ident.decode("utf-8"), f"{where} line {n}")
    if any(map(operator.ge, ids, islice(ids, 1, None))):
        for n, (a, b) in enumerate(zip(ids, islice(ids, 1, None), strict=False), start=3):
            if a >= b:
                what = "duplicate id" if a == b else "ids not in ascending order at id"
                raise PopulationError(f"{what} {b.decode()!r}", where=f"{where} line {n}")
    return Population(strat, weight_column, groups, weights, len(ids))


def _decode_stratum(rest: bytes, strat: tuple[str, ...], where: str) -> Stratum:
    if not strat:
        if rest:
            raise PopulationError("unexpected fields after the id", where=where)
        return ()
    try:
        fields = next(csv.reader([rest.decode("utf-8")], strict=True))
    except (csv.Error, StopIteration):
        raise PopulationError("malformed CSV fields", where=where) from None
    if len(fields) != len(strat):
        raise PopulationError(
            f"expected {len(strat)} stratification fields, found {len(fields)}", where=where
        )
    for col, value in zip(strat, fields, strict=True):
        _check_value(value, col, where)
    if _encode_fields(fields) != rest:
        raise PopulationError(
            'fields are not quoted canonically (quote only values with , or ")', where=where
        )
    return tuple(fields)
