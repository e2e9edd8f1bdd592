"""Target import, fast path: rows whose every cell is plainly valid, parsed without a dict per row."""

from __future__ import annotations

from collections.abc import Callable
from operator import getitem, itemgetter
from typing import Any

from fairspot.directory.import_parsing import OTHER_IDENTIFIER, checked_tags, registry_text
from fairspot.directory.models import MARKET_ENTITY_TYPES
from fairspot.lib.cells import FORMULA_PREFIXES
from fairspot.lib.uscc import CHARSET, WEIGHTED, WELL_FORMED, normalize_uscc

MEMO_LIMIT = 100_000  # distinct cell values remembered per column by the fast path
_FORMULA_FIRST = frozenset((*FORMULA_PREFIXES, "'"))  # cells starting so go through check_imported
_INVALID = object()  # a memoised cell value that the slow path must handle (it reports the error)


class _Probe:
    """RowContext stand-in used to compute one cell's value: only remembers whether it failed."""

    __slots__ = ("failed",)

    def __init__(self) -> None:
        self.failed = False

    def error(self, field_name: str | None, message: str) -> None:
        self.failed = True


class _Memo(dict):
    """Cell text → value (or _INVALID), computed by the slow path's own helper on first sight."""

    def __init__(self, compute: Callable[[str, _Probe], Any]):
        super().__init__()
        self.compute = compute

    def __missing__(self, text: str) -> Any:
        if text[:1] in _FORMULA_FIRST:
            value = _INVALID  # a formula or an apostrophe: the slow path checks or unquotes it
        else:
            probe = _Probe()
            value = self.compute(text, probe)
            if probe.failed:
                value = _INVALID
        if len(self) < MEMO_LIMIT:
            self[text] = value
        return value


class TargetFastParsing:
    """TargetImporter's fast_parser(), built on TargetParsing's per-cell helpers."""

    def fast_parser(self, index: dict[str, int], width: int) -> Callable[[list[str]], tuple | None]:
        """parse() for rows whose every cell is plainly valid, without building a dict per row.

        Cells of few distinct values are looked up in memos filled by the helpers parse() uses; the
        identifier, the name and the free-text cells are checked here as parse() and _cell_values
        would. Anything else (an error, a formula prefix, an apostrophe) returns None: the row then
        takes the slow path, which reports exactly what is wrong.
        """
        fields = (
            "entity_type",
            "identifier",
            "name",
            "registration_authority",
            "address",
            "legal_representative",
            "industry",
            "region",
            "status",
            "established_on",
            "risk_class",
            "abnormal",
            "department",
            "libraries",
            "tags",
        )
        missing = any(f not in index for f in fields)  # absent columns read an "" appended to the row
        cells_of = itemgetter(*(index.get(f, width) for f in fields))
        entity_types = _Memo(self._entity_type)
        industries = _Memo(self._industry)
        regions = _Memo(self._region)
        statuses = _Memo(self._status)
        dates = _Memo(self._established)
        risks = _Memo(self._risk)
        flags = _Memo(self._abnormal)
        departments = _Memo(self.department)
        libraries = _Memo(self._libraries) if "libraries" in self.present_columns else None
        tags = _Memo(checked_tags)
        authorities: dict[str, str] = {}  # few distinct values: one str object each (pickled once)
        market = MARKET_ENTITY_TYPES
        well_formed = WELL_FORMED.fullmatch
        weighted = WEIGHTED
        other_identifier = OTHER_IDENTIFIER.match
        first = _FORMULA_FIRST
        now = self.now_text
        invalid = _INVALID

        def fast(cells: list[str]) -> tuple | None:
            if missing:
                cells.append("")
            (
                entity_text,
                identifier,
                name,
                authority,
                address,
                legal,
                industry_text,
                region_text,
                status_text,
                date_text,
                risk_text,
                abnormal_text,
                department_text,
                libraries_text,
                tags_text,
            ) = cells_of(cells)
            if not entity_text:
                return None  # inferred from the code on the slow path
            entity_type = entity_types[entity_text]
            if entity_type is invalid:
                return None
            if entity_type in market:  # normalize_uscc + is_valid_uscc, inlined
                identifier = identifier.upper() if identifier.isascii() else normalize_uscc(identifier)
                if (
                    well_formed(identifier) is None
                    or identifier[17] != CHARSET[-sum(map(getitem, weighted, identifier.encode())) % 31]
                ):
                    return None
            elif not other_identifier(identifier):
                return None
            if not name or len(name) > 200 or name[0] in first:
                return None
            if authority:
                if len(authority) > 100 or authority[0] in first:
                    return None
                if len(authorities) < MEMO_LIMIT:
                    authority = authorities.setdefault(authority, authority)
            if address and (len(address) > 255 or address[0] in first):
                return None
            if legal and (len(legal) > 100 or legal[0] in first):
                return None
            industry = industries[industry_text]
            region = regions[region_text]
            status = statuses[status_text]
            established = dates[date_text]
            risk = risks[risk_text]
            abnormal = flags[abnormal_text]
            department_id = departments[department_text]
            tag_text = tags[tags_text]
            if (
                industry is invalid
                or region is invalid
                or status is invalid
                or established is invalid
                or risk is invalid
                or abnormal is invalid
                or department_id is invalid
                or tag_text is invalid
            ):
                return None
            library_ids = None
            if libraries is not None:
                library_ids = libraries[libraries_text]
                if library_ids is invalid:
                    return None
            return (
                (
                    identifier,
                    name,
                    entity_type,
                    registry_text(entity_text),
                    industry[0],
                    industry[1],
                    region[0],
                    region[1],
                    authority,
                    address,
                    legal,
                    status,
                    established,
                    risk,
                    abnormal,
                    tag_text,
                    department_id,
                    now,
                    now,
                ),
                library_ids,
            )

        return fast
