"""Import of the target directory from CSV/XLSX (all or nothing; re-import updates by key)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date
from itertools import chain
from operator import getitem, itemgetter
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairspot.accounts.model_import import DepartmentRule
from fairspot.audit.services import Change, record, record_many
from fairspot.core.bulk_pg import create_staging_table, limit_waits, move_staged_rows
from fairspot.core.importing import (
    Importer,
    ImportReport,
    RowContext,
    create_indexes,
    deferred_foreign_keys,
    drop_secondary_indexes,
    set_constraints,
)
from fairspot.core.parsing import ParseError, choice_lookup, parse_bool, parse_date, split_multi
from fairspot.directory.columns import TARGET_COLUMNS
from fairspot.directory.models import (
    MARKET_ENTITY_TYPES,
    EntityType,
    RegistrationStatus,
    RiskClass,
    SpecialLibrary,
    Target,
)
from fairspot.directory.registry_types import class_from_uscc, classify
from fairspot.lib.cells import FORMULA_PREFIXES
from fairspot.lib.uscc import CHARSET, WEIGHTED, WELL_FORMED, normalize_uscc, uscc_error
from fairspot.reference.selectors import industry_codes, industry_section, region_lookup

ENTITY_TYPES = choice_lookup(
    EntityType.choices,
    {
        "企业": EntityType.ENTERPRISE,
        "公司": EntityType.ENTERPRISE,
        "个体工商户": EntityType.INDIVIDUAL,
        "个体": EntityType.INDIVIDUAL,
        "农民专业合作社": EntityType.COOPERATIVE,
        "合作社": EntityType.COOPERATIVE,
        "其他组织": EntityType.OTHER_ORG,
        "其他主体": EntityType.OTHER_ORG,
        "产品": EntityType.PRODUCT,
        "项目": EntityType.PROJECT,
        "行为": EntityType.BEHAVIOUR,
    },
)
STATUSES = choice_lookup(
    RegistrationStatus.choices,
    {
        "存续": RegistrationStatus.ACTIVE,
        "在业": RegistrationStatus.ACTIVE,
        "存续/在业": RegistrationStatus.ACTIVE,
        "开业": RegistrationStatus.ACTIVE,
        "在营": RegistrationStatus.ACTIVE,
        "注销": RegistrationStatus.CANCELLED,
        "吊销": RegistrationStatus.REVOKED,
        "撤销": RegistrationStatus.WITHDRAWN,
        "迁出": RegistrationStatus.MOVED_OUT,
    },
)
RISK_CLASSES = choice_lookup(
    RiskClass.choices,
    {"a": "A", "b": "B", "c": "C", "d": "D", "低风险": "A", "一般风险": "B", "较高风险": "C", "高风险": "D"},
)
OTHER_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,39}$")

# Columns of directory_target written by the importer, in this order.
DB_FIELDS = (
    "identifier",
    "name",
    "entity_type",
    "registry_type",
    "industry_code",
    "industry_section",
    "township_id",
    "community_id",
    "registration_authority",
    "address",
    "legal_representative",
    "status",
    "established_on",
    "risk_class",
    "abnormal",
    "tags",
    "department_id",
)
# Which DB fields each import column sets (a column absent from the file leaves those fields alone).
SOURCE_FIELDS = {
    "name": ("name",),
    "entity_type": ("entity_type", "registry_type"),
    "industry": ("industry_code", "industry_section"),
    "region": ("township_id", "community_id"),
    "registration_authority": ("registration_authority",),
    "address": ("address",),
    "legal_representative": ("legal_representative",),
    "status": ("status",),
    "established_on": ("established_on",),
    "risk_class": ("risk_class",),
    "abnormal": ("abnormal",),
    "tags": ("tags",),
    "department": ("department_id",),
}
MAX_LENGTHS = {
    "name": 200,
    "registration_authority": 100,
    "address": 255,
    "legal_representative": 100,
    "tags": 255,
}


BULK_MIN_ROWS = 50_000  # estimated rows from which a large import may take the bulk path
BYTES_PER_ROW = 200  # for the estimate of a file's rows from its size (a demo CSV row is ~210 bytes)
SQLITE_IMPORT_CACHE_KIB = 256 * 1024  # page cache of the importing SQLite connection for large files
BULK_BATCH_SIZE = 20_000  # new rows per statement (COPY) when the table was empty at the start
SQLITE_ROWS_PER_INSERT = 50  # rows per INSERT statement on SQLite
SQLITE_MAX_PARAMS = 999  # the lowest SQLITE_MAX_VARIABLE_NUMBER (before SQLite 3.32)
MEMO_LIMIT = 100_000  # distinct cell values remembered per column by the fast path
_FORMULA_FIRST = frozenset((*FORMULA_PREFIXES, "'"))  # cells starting so go through check_imported
_INVALID = object()  # a memoised cell value that the slow path must handle (it reports the error)

# A parsed row is a tuple ``(values, libraries)``: ``values`` are DB_FIELDS' values (established_on
# as ISO text) followed by created_at and updated_at, ready to be written; ``libraries`` is a tuple of
# library ids as given (None when the file has no 专项库 column). Plain tuples, because large files
# are parsed in a worker process and sent over a pipe.
INSERT_FIELDS = (*DB_FIELDS, "created_at", "updated_at")


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


class TargetImporter(DepartmentRule, Importer):
    kind = "targets"
    columns = TARGET_COLUMNS
    key_field = "identifier"
    missing_department_message = gettext_lazy("Say which department maintains the record.")
    parse_in_worker = True  # the look-ups below are loaded in __init__; parsing needs no database

    def __init__(self, *, actor, options=None):
        super().__init__(actor=actor, options=options)
        self.regions = region_lookup()
        libraries = list(SpecialLibrary.objects.values_list("id", "name", "code"))
        self.libraries = {n: i for i, n, c in libraries} | {c: i for i, n, c in libraries}
        self.init_departments(actor)
        self.present: tuple[str, ...] = ()
        self.today = date.today()
        self.now = timezone.now()
        self.now_text = self.now.isoformat(" ")  # as Django's SQLite adapter writes it; PostgreSQL parses it
        _warm_industry_lookups()
        self._empty_at_start = False
        self._bulk = False
        self._pending: list[tuple] = []  # new rows not yet written (table empty at the start)
        self._dropped_indexes: list[tuple[str, str]] = []
        self._immediate: list[str] = []
        self._staging: str | None = None  # PostgreSQL bulk path: new rows wait here, not in the table
        self._staged_links: list[tuple[int, int]] = []
        self._sqlite_cache: int | None = None

    # --- parsing -------------------------------------------------------------------------------
    def parse(self, v: dict[str, str], ctx: RowContext) -> tuple | None:
        entity_text = v.get("entity_type", "")
        if entity_text:
            entity_type = self._entity_type(entity_text, ctx)
        else:  # no type given: infer it from the 统一社会信用代码
            entity_type = class_from_uscc(normalize_uscc(v["identifier"]))
            if entity_type is None:
                ctx.error(
                    "entity_type",
                    _("No entity type given, and “%(value)s” is no 统一社会信用代码 to infer it from.")
                    % {"value": v["identifier"][:40]},
                )
        identifier = self._identifier(v["identifier"], entity_type, ctx)
        if not v["name"]:
            ctx.error("name", _("The name is required."))
        for field, limit in MAX_LENGTHS.items():
            if len(v.get(field, "")) > limit:
                ctx.error(field, _("Longer than %(n)d characters.") % {"n": limit})
        industry_code, section = self._industry(v.get("industry", ""), ctx)
        township, community = self._region(v.get("region", ""), ctx)
        status = self._status(v.get("status", ""), ctx)
        established = self._established(v.get("established_on", ""), ctx)
        risk = self._risk(v.get("risk_class", ""), ctx)
        abnormal = self._abnormal(v.get("abnormal", ""), ctx)
        department_id = self.department(v.get("department", ""), ctx)
        libraries = None
        if "libraries" in self.present_columns:
            libraries = self._libraries(v.get("libraries", ""), ctx)
        if ctx.failed:
            return None
        return (
            (
                identifier,
                v["name"],
                entity_type,
                _registry_text(entity_text),
                industry_code,
                section,
                township,
                community,
                v.get("registration_authority", ""),
                v.get("address", ""),
                v.get("legal_representative", ""),
                status,
                established,
                risk,
                abnormal,
                _tags(v.get("tags", "")),
                department_id,
                self.now_text,
                self.now_text,
            ),
            libraries,
        )

    # One helper per cell: parse() calls them, and fast_parser() memoises them per distinct cell text.
    def _entity_type(self, text: str, ctx) -> str | None:
        entity_type = _ENTITY_VALUES.get(text.lower()) or classify(text)
        if entity_type is None:
            ctx.error(
                "entity_type",
                _(
                    "Unknown entity type “%(value)s”: give a type of the market-entity register "
                    "(e.g. 有限责任公司（自然人投资或控股）, 个体工商户, 农民专业合作社) or one of "
                    "企业, 个体工商户, 农民专业合作社, 其他组织, 产品, 项目, 行为."
                )
                % {"value": text[:40]},
            )
        elif len(text) > 100:
            ctx.error("entity_type", _("Longer than %(n)d characters.") % {"n": 100})
        return entity_type

    def _identifier(self, identifier: str, entity_type: str | None, ctx) -> str:
        if entity_type in MARKET_ENTITY_TYPES:
            identifier = normalize_uscc(identifier)
            problem = uscc_error(identifier)
            if problem:
                ctx.error("identifier", problem)
        elif not OTHER_IDENTIFIER.match(identifier):
            ctx.error("identifier", _("An identifier has 1–40 letters, digits, '.', '_' or '-'."))
        return identifier

    def _industry(self, text: str, ctx) -> tuple[str, str]:
        industry_code = text.upper()
        section = ""
        if industry_code:
            section = industry_section(industry_code) or ""
            if not section:
                ctx.error(
                    "industry",
                    _("Unknown GB/T 4754-2017 industry code “%(value)s”.") % {"value": industry_code[:10]},
                )
        return industry_code, section

    def _region(self, region: str, ctx) -> tuple[str | None, str | None]:
        if not region:
            return None, None
        found = self.regions.get(region)
        if found is None:
            message = _("Unknown township, street or community “%(value)s”.")
            ctx.error("region", message % {"value": region[:40]})
            return None, None
        return found

    def _status(self, text: str, ctx) -> str | None:
        if not text:
            return _ACTIVE
        status = _STATUS_VALUES.get(text.lower())
        if status is None:
            ctx.error("status", _("Unknown registration status “%(value)s”.") % {"value": text[:40]})
        return status

    def _established(self, text: str, ctx) -> str | None:
        try:
            established = parse_date(text)
        except ParseError as exc:
            ctx.error("established_on", str(exc))
            return None
        if established is None:
            return None
        if established > self.today:
            ctx.error("established_on", _("The date lies in the future."))
        return established.isoformat()

    def _risk(self, text: str, ctx) -> str:
        risk = ""
        if text:
            risk = RISK_CLASSES.get(text.lower(), "")
            if not risk:
                ctx.error("risk_class", _("The credit-risk class is A, B, C or D."))
        return risk

    def _abnormal(self, text: str, ctx) -> bool:
        try:
            return parse_bool(text)
        except ParseError as exc:
            ctx.error("abnormal", str(exc))
            return False

    def _libraries(self, text: str, ctx) -> tuple[int, ...]:
        libraries = []
        for name in split_multi(text):
            lib = self.libraries.get(name)
            if lib is None:
                ctx.error("libraries", _("Unknown special library “%(value)s”.") % {"value": name[:40]})
            else:
                libraries.append(lib)
        return tuple(libraries)

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
        tags = _Memo(_checked_tags)
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
                    _registry_text(entity_text),
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

    def key(self, parsed: tuple) -> str:
        return parsed[0][0]

    # --- writing -------------------------------------------------------------------------------
    def bind_columns(self, present: set[str]) -> None:
        self.present_columns = present
        fields = {"identifier"}
        for column in present:
            fields.update(SOURCE_FIELDS.get(column, ()))
        self.present = tuple(f for f in DB_FIELDS if f in fields)

    present_columns: set[str] = frozenset()

    def run(self, path, **kwargs) -> ImportReport:
        try:
            return super().run(path, **kwargs)
        finally:
            if self._sqlite_cache is not None:  # the connection outlives the import: give back its cache
                with suppress(DatabaseError), connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA cache_size = {int(self._sqlite_cache)}")
                self._sqlite_cache = None

    def begin(self, report: ImportReport) -> None:
        """Choose how to write: skip look-ups of existing rows when the table is empty; for a large file
        (much larger than the table), drop the table's secondary indexes now and build them again in
        finish(), which is much cheaper than updating them row by row. All inside the transaction: if
        the import fails, the rollback restores them."""
        if "department" not in self.present_columns and self.own_department is None:
            report.add_error(
                1,
                "维护部门",
                _(
                    "No row says which department maintains it, and no department was given for the whole "
                    "file: add a 维护部门 column (department code or name), or run the import with "
                    "--department CODE (on the web, as a department's user). Nothing was written."
                ),
            )
            return
        self._pending, self._dropped_indexes, self._immediate = [], [], []
        self._staging, self._staged_links = None, []
        limit_waits()
        self._empty_at_start = not Target.objects.exists()
        estimated_rows = self.file_size // BYTES_PER_ROW
        large = estimated_rows >= BULK_MIN_ROWS
        bulk = self.options.get("bulk")
        if bulk is None:
            bulk = large and (self._empty_at_start or Target.objects.count() * 2 <= estimated_rows)
        self._bulk = bool(bulk)
        if connection.vendor == "sqlite" and (large or self._bulk):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self._sqlite_cache = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        if self._bulk:
            table = Target._meta.db_table
            if connection.vendor == "postgresql":
                # Readers are never blocked: the new rows are COPied into a temporary table without
                # indexes, then moved in one INSERT … SELECT in finish(), which takes only the row-level
                # lock every insert takes (dropping the indexes would lock the table for the whole run).
                self._staging = create_staging_table(table)
            else:  # SQLite has one writer anyway, and readers keep their snapshot (WAL)
                self._dropped_indexes = drop_secondary_indexes(table)

    def write(self, batch, report: ImportReport) -> None:
        rows = [p for _, p in batch]
        if self._empty_at_start:  # nothing to update: every row (keys are unique in the file) is new
            if report.ok:  # counted per batch as ever; written in fewer, larger statements
                report.created += len(rows)
                self._pending.extend(rows)
                if len(self._pending) >= BULK_BATCH_SIZE:
                    self._flush()
            return
        row_numbers = [n for n, _ in batch]
        existing = self._existing([p[0][0] for p in rows])
        memberships = (
            self._memberships([v[0] for v in existing.values()])
            if existing and "libraries" in self.present_columns
            else {}
        )
        inserts, updates, audits = [], [], []
        changed_libraries: list[tuple[int, tuple]] = []
        positions = [DB_FIELDS.index(f) for f in self.present]
        for row_no, parsed in zip(row_numbers, rows, strict=True):
            values, libraries = parsed
            old = existing.get(values[0])
            if old is None:
                inserts.append(parsed)
                continue
            old_id, old_dept, old_values = old
            if not self.sees_all and old_dept != self.own_department:
                report.add_error(
                    row_no,
                    None,
                    _("The target %(key)s is maintained by another department.") % {"key": values[0]},
                )
                continue
            new_values = tuple(values[i] for i in positions)
            changes = {
                f: [o, n] for f, o, n in zip(self.present, old_values, new_values, strict=True) if o != n
            }
            if libraries is not None:
                old_libs = sorted(memberships.get(old_id, ()))
                new_libs = sorted(set(libraries))
                if old_libs != new_libs:
                    changes["libraries"] = [old_libs, new_libs]
                    changed_libraries.append((old_id, parsed))
            if changes:
                updates.append((old_id, new_values))
                audits.append(
                    Change(
                        action="directory.target.changed",
                        object_type="directory.target",
                        object_id=str(old_id),
                        object_repr=values[1],
                        department_id=old_dept,
                        changes=changes,
                        data={"import_sha256": report.sha256},
                    )
                )
            else:
                report.unchanged += 1
        if not report.ok:
            return
        ids = self._insert(inserts)
        self._update(updates)
        report.created += len(inserts)
        report.updated += len(updates)
        if audits:
            record_many(self.actor, audits)
        if "libraries" in self.present_columns:
            self._clear_libraries([old_id for old_id, _ in changed_libraries])
            self._add_libraries(inserts, ids)
            self._link([(i, lib) for i, (_, libraries) in changed_libraries for lib in set(libraries)])

    def _flush(self) -> None:
        rows, self._pending = self._pending, []
        ids = self._insert(rows)
        if "libraries" in self.present_columns:
            self._add_libraries(rows, ids)

    def _existing(self, identifiers: list[str]) -> dict[str, tuple]:
        cols = ", ".join(("id", "department_id", *self.present))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT {cols} FROM directory_target WHERE identifier = ANY(%s)",  # noqa: S608
                    [identifiers],
                )
            else:
                marks = ", ".join(["%s"] * len(identifiers))
                cursor.execute(
                    f"SELECT {cols} FROM directory_target WHERE identifier IN ({marks})",  # noqa: S608
                    identifiers,
                )
            out = {}
            for row in cursor.fetchall():
                values = tuple(_normalise_db(f, v) for f, v in zip(self.present, row[2:], strict=True))
                out[row[2]] = (row[0], row[1], values)
            return out

    def _memberships(self, target_ids: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        through = SpecialLibrary.targets.through
        for target_id, lib_id in through.objects.filter(target_id__in=target_ids).values_list(
            "target_id", "speciallibrary_id"
        ):
            out.setdefault(target_id, set()).add(lib_id)
        return out

    def _insert(self, inserts: list[tuple]) -> Sequence[int] | None:
        """Insert the rows; returns their ids (None if they could not be told)."""
        if not inserts:
            return None
        columns = ", ".join(INSERT_FIELDS)
        if connection.vendor == "postgresql":
            # Take the ids from the column's own sequence (what the default would do) and COPY them,
            # so that memberships can be written by id, without looking the rows up again.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(Target._meta.db_table), len(inserts)],
                )
                ids = sorted(i for (i,) in cursor.fetchall())
                into = self._staging or "directory_target"
                with cursor.cursor.copy(f"COPY {into} ({columns}, id) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for (values, _libraries), target_id in zip(inserts, ids, strict=True):
                        write_row((*values, target_id))
            return ids
        # The values are ready for sqlite3 (text, numbers, None): skip Django's cursor wrapper, and insert
        # SQLITE_ROWS_PER_INSERT rows per statement (fewer statement executions).
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            rows = [values for values, _libraries in inserts]
            _sqlite_insert_many(cursor, "directory_target", INSERT_FIELDS, rows)
            # AUTOINCREMENT gives each new row max(rowid) + 1 and nobody else can write meanwhile, so
            # the ids are consecutive; check both ends rather than trust it.
            last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            ids = range(last - len(inserts) + 1, last + 1)
            for position in (0, -1):
                found = cursor.execute(
                    "SELECT id FROM directory_target WHERE identifier = ?", (inserts[position][0][0],)
                ).fetchone()
                if found is None or found[0] != ids[position]:
                    return None
            return ids
        finally:
            cursor.close()

    def _update(self, updates) -> None:
        if not updates:
            return
        fields = [f for f in self.present if f != "identifier"]
        assignments = ", ".join(f"{f} = %s" for f in (*fields, "updated_at"))
        data = [(*values[1:], self.now, old_id) for old_id, values in updates]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE directory_target SET {assignments} WHERE id = %s", data)  # noqa: S608

    def _clear_libraries(self, target_ids: list[int]) -> None:
        if target_ids:
            SpecialLibrary.targets.through.objects.filter(target_id__in=target_ids).delete()

    def _add_libraries(self, rows: list[tuple], ids: Sequence[int] | None) -> None:
        """Memberships of rows just inserted: by their ids when known, else found by identifier."""
        if ids is not None:
            self._link(
                [
                    (i, lib)
                    for i, (_values, libraries) in zip(ids, rows, strict=True)
                    if libraries
                    for lib in set(libraries)
                ]
            )
            return
        pairs = [(lib, values[0]) for values, libraries in rows if libraries for lib in set(libraries)]
        if pairs:
            through = SpecialLibrary.targets.through._meta.db_table
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {through} (target_id, speciallibrary_id) "  # noqa: S608
                    "SELECT id, %s FROM directory_target WHERE identifier = %s",
                    pairs,
                )

    def _link(self, pairs: list[tuple[int, int]]) -> None:
        """Insert ``(target id, library id)`` memberships (of staged rows: once they are moved in)."""
        if not pairs:
            return
        if self._staging is not None:
            self._staged_links.extend(pairs)
            return
        through = SpecialLibrary.targets.through._meta.db_table
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {through} (target_id, speciallibrary_id) FROM STDIN") as copy,
            ):
                for pair in pairs:
                    copy.write_row(pair)
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            cursor = connection.connection.cursor()
            try:
                _sqlite_insert_many(cursor, through, ("target_id", "speciallibrary_id"), pairs)
            finally:
                cursor.close()
        else:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {through} (target_id, speciallibrary_id) VALUES (%s, %s)",  # noqa: S608
                    pairs,
                )

    def finish(self, report: ImportReport) -> None:
        self._flush()
        if self._staging is not None:
            staging, self._staging = self._staging, None
            # check the foreign keys as the rows arrive, rather than queue one check per row for commit
            immediate = deferred_foreign_keys(Target._meta.db_table)
            set_constraints(immediate, "IMMEDIATE")
            move_staged_rows(staging, Target._meta.db_table, (*INSERT_FIELDS, "id"))
            links, self._staged_links = self._staged_links, []
            self._link(links)
            set_constraints(immediate, "DEFERRED")
        if self._dropped_indexes:
            create_indexes(self._dropped_indexes)
            self._dropped_indexes = []
        if self._immediate:
            set_constraints(self._immediate, "DEFERRED")
            self._immediate = []
        record(
            self.actor,
            "directory.targets.imported",
            object_type="directory.target",
            object_repr=report.file_name,
            department_id=self.own_department,
            data=report.as_dict(),
        )


_ENTITY_VALUES = {text: str(value) for text, value in ENTITY_TYPES.items()}  # plain str, not enum members
_STATUS_VALUES = {text: str(value) for text, value in STATUSES.items()}
_ACTIVE = str(RegistrationStatus.ACTIVE)


def _sqlite_insert_many(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT the rows (in order) with a raw sqlite3 cursor, several rows per statement."""
    per = max(1, SQLITE_MAX_PARAMS // len(columns))
    per = min(per, SQLITE_ROWS_PER_INSERT)
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
    full = len(rows) - len(rows) % per
    if full:
        cursor.executemany(
            head + ", ".join([one] * per),
            [tuple(chain.from_iterable(rows[i : i + per])) for i in range(0, full, per)],
        )
    if full < len(rows):
        cursor.executemany(head + one, rows[full:])


def _registry_text(text: str) -> str:
    """The register's own type name as given; empty for our coarse words (企业, 个体工商户, …), which the
    entity type already says, so an export imports back unchanged."""
    return "" if text.lower() in _ENTITY_VALUES else text


def _tags(text: str) -> str:
    return "；".join(split_multi(text))


def _checked_tags(text: str, ctx) -> str:
    if len(text) > MAX_LENGTHS["tags"]:
        ctx.error("tags", "")
    return _tags(text)


def _warm_industry_lookups() -> None:
    """Fill the per-process caches behind industry_section() (a forked parser must not query them)."""
    division = next((c for c in sorted(industry_codes()) if c.isdigit()), None)
    industry_section(division or "A")


def _normalise_db(field: str, value):
    if field == "established_on" and isinstance(value, date):
        return value.isoformat()
    if field == "abnormal":
        return bool(value)
    return value
