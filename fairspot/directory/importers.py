"""Import of the target directory from CSV/XLSX (all or nothing; re-import updates by key)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import Change, record, record_many
from fairspot.core.importing import Importer, ImportReport, RowContext
from fairspot.core.lookups import department_lookup
from fairspot.core.parsing import ParseError, choice_lookup, parse_bool, parse_date, split_multi
from fairspot.directory.columns import TARGET_COLUMNS
from fairspot.directory.models import (
    MARKET_ENTITY_TYPES,
    EntityType,
    RegistrationStatus,
    RiskClass,
    SpecialLibrary,
)
from fairspot.lib.uscc import normalize_uscc, uscc_error
from fairspot.reference.selectors import industry_section, region_lookup

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
    "entity_type": ("entity_type",),
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


@dataclass(slots=True)
class TargetRow:
    values: tuple
    libraries: list[int] | None


class TargetImporter(Importer):
    kind = "targets"
    columns = TARGET_COLUMNS
    key_field = "identifier"

    def __init__(self, *, actor, options=None):
        super().__init__(actor=actor, options=options)
        self.regions = region_lookup()
        self.departments = department_lookup()
        self.libraries = {n: i for i, n, c in SpecialLibrary.objects.values_list("id", "name", "code")} | {
            c: i for i, n, c in SpecialLibrary.objects.values_list("id", "name", "code")
        }
        self.default_department_id = self.options.get("department_id") or getattr(
            actor, "department_id", None
        )
        self.sees_all = bool(actor is None or actor.sees_all_departments)
        self.present: tuple[str, ...] = ()
        self.today = date.today()
        self.now = timezone.now()

    # --- parsing -------------------------------------------------------------------------------
    def parse(self, v: dict[str, str], ctx: RowContext) -> TargetRow | None:
        entity_type = ENTITY_TYPES.get(v["entity_type"].lower())
        if entity_type is None:
            ctx.error("entity_type", _("Unknown entity type “%(value)s”.") % {"value": v["entity_type"][:40]})
        identifier = v["identifier"]
        if entity_type in MARKET_ENTITY_TYPES:
            identifier = normalize_uscc(identifier)
            problem = uscc_error(identifier)
            if problem:
                ctx.error("identifier", problem)
        elif not OTHER_IDENTIFIER.match(identifier):
            ctx.error("identifier", _("An identifier has 1–40 letters, digits, '.', '_' or '-'."))
        if not v["name"]:
            ctx.error("name", _("The name is required."))
        for field, limit in MAX_LENGTHS.items():
            if len(v.get(field, "")) > limit:
                ctx.error(field, _("Longer than %(n)d characters.") % {"n": limit})
        industry_code = v.get("industry", "").upper()
        section = ""
        if industry_code:
            section = industry_section(industry_code) or ""
            if not section:
                ctx.error(
                    "industry",
                    _("Unknown GB/T 4754-2017 industry code “%(value)s”.") % {"value": industry_code[:10]},
                )
        township = community = None
        region = v.get("region", "")
        if region:
            found = self.regions.get(region)
            if found is None:
                ctx.error(
                    "region", _("Unknown township, street or community “%(value)s”.") % {"value": region[:40]}
                )
            else:
                township, community = found
        status = RegistrationStatus.ACTIVE
        if v.get("status"):
            status = STATUSES.get(v["status"].lower())
            if status is None:
                ctx.error(
                    "status", _("Unknown registration status “%(value)s”.") % {"value": v["status"][:40]}
                )
        established = None
        try:
            established = parse_date(v.get("established_on", ""))
            if established and established > self.today:
                ctx.error("established_on", _("The date lies in the future."))
        except ParseError as exc:
            ctx.error("established_on", str(exc))
        risk = ""
        if v.get("risk_class"):
            risk = RISK_CLASSES.get(v["risk_class"].lower(), "")
            if not risk:
                ctx.error("risk_class", _("The credit-risk class is A, B, C or D."))
        abnormal = False
        try:
            abnormal = parse_bool(v.get("abnormal", ""))
        except ParseError as exc:
            ctx.error("abnormal", str(exc))
        department_id = self._department(v.get("department", ""), ctx)
        libraries = None
        if "libraries" in self.present_columns:
            libraries = []
            for name in split_multi(v.get("libraries", "")):
                lib = self.libraries.get(name)
                if lib is None:
                    ctx.error("libraries", _("Unknown special library “%(value)s”.") % {"value": name[:40]})
                else:
                    libraries.append(lib)
        if ctx.failed:
            return None
        tags = "；".join(split_multi(v.get("tags", "")))
        return TargetRow(
            (
                identifier,
                v["name"],
                entity_type,
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
                tags,
                department_id,
            ),
            libraries,
        )

    def _department(self, text: str, ctx: RowContext) -> int | None:
        if not text:
            if self.default_department_id is None:
                ctx.error("department", _("Say which department maintains the record."))
            return self.default_department_id
        dept = self.departments.get(text)
        if dept is None:
            ctx.error("department", _("Unknown department “%(value)s”.") % {"value": text[:40]})
        elif not self.sees_all and dept != self.default_department_id:
            ctx.error("department", _("You may only import records of your own department."))
        return dept

    def key(self, parsed: TargetRow) -> str:
        return parsed.values[0]

    # --- writing -------------------------------------------------------------------------------
    def bind_columns(self, present: set[str]) -> None:
        self.present_columns = present
        fields = {"identifier"}
        for column in present:
            fields.update(SOURCE_FIELDS.get(column, ()))
        self.present = tuple(f for f in DB_FIELDS if f in fields)

    present_columns: set[str] = frozenset()

    def write(self, batch, report: ImportReport) -> None:
        rows = [p for _, p in batch]
        row_numbers = [n for n, _ in batch]
        existing = self._existing([p.values[0] for p in rows])
        memberships = (
            self._memberships([v[0] for v in existing.values()])
            if "libraries" in self.present_columns
            else {}
        )
        inserts, updates, audits = [], [], []
        self._changed_keys: dict[str, tuple[str, ...]] = {}
        positions = [DB_FIELDS.index(f) for f in self.present]
        for row_no, parsed in zip(row_numbers, rows, strict=True):
            old = existing.get(parsed.values[0])
            if old is None:
                inserts.append(parsed)
                continue
            old_id, old_dept, old_values = old
            if not self.sees_all and old_dept != self.default_department_id:
                report.add_error(
                    row_no,
                    None,
                    _("The target %(key)s is maintained by another department.") % {"key": parsed.values[0]},
                )
                continue
            new_values = tuple(parsed.values[i] for i in positions)
            changes = {
                f: [o, n] for f, o, n in zip(self.present, old_values, new_values, strict=True) if o != n
            }
            if parsed.libraries is not None:
                old_libs = sorted(memberships.get(old_id, ()))
                new_libs = sorted(set(parsed.libraries))
                if old_libs != new_libs:
                    changes["libraries"] = [old_libs, new_libs]
            if changes:
                updates.append((old_id, parsed, new_values))
                self._changed_keys[parsed.values[0]] = tuple(changes)
                audits.append(
                    Change(
                        action="directory.target.changed",
                        object_type="directory.target",
                        object_id=str(old_id),
                        object_repr=parsed.values[1],
                        department_id=old_dept,
                        changes=changes,
                        data={"import_sha256": report.sha256},
                    )
                )
            else:
                report.unchanged += 1
        if not report.ok:
            return
        self._insert(inserts)
        self._update(updates)
        report.created += len(inserts)
        report.updated += len(updates)
        if audits:
            record_many(self.actor, audits)
        if "libraries" in self.present_columns:
            changed = [p for _, p, _ in updates if "libraries" in self._changed_keys.get(p.values[0], ())]
            self._set_libraries([p for p in inserts if p.libraries] + changed)

    def _existing(self, identifiers: list[str]) -> dict[str, tuple]:
        cols = ", ".join(("id", "department_id", *self.present))
        marks = ", ".join(["%s"] * len(identifiers))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM directory_target WHERE identifier IN ({marks})", identifiers)  # noqa: S608
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

    def _insert(self, inserts: list[TargetRow]) -> None:
        if not inserts:
            return
        cols = (*DB_FIELDS, "created_at", "updated_at")
        data = [(*p.values, self.now, self.now) for p in inserts]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY directory_target ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO directory_target ({', '.join(cols)}) VALUES ({marks})",  # noqa: S608
                    data,
                )

    def _update(self, updates) -> None:
        if not updates:
            return
        fields = [f for f in self.present if f != "identifier"]
        assignments = ", ".join(f"{f} = %s" for f in (*fields, "updated_at"))
        data = [(*values[1:], self.now, old_id) for old_id, _, values in updates]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE directory_target SET {assignments} WHERE id = %s", data)  # noqa: S608

    def _set_libraries(self, rows: list[TargetRow]) -> None:
        if not rows:
            return
        ids = self._ids([p.values[0] for p in rows])
        target_ids = [ids[p.values[0]] for p in rows]
        through = SpecialLibrary.targets.through
        through.objects.filter(target_id__in=target_ids).delete()
        through.objects.bulk_create(
            [
                through(target_id=ids[p.values[0]], speciallibrary_id=lib)
                for p in rows
                for lib in set(p.libraries)
            ]
        )

    def _ids(self, identifiers: list[str]) -> dict[str, int]:
        marks = ", ".join(["%s"] * len(identifiers))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT identifier, id FROM directory_target WHERE identifier IN ({marks})",  # noqa: S608
                identifiers,
            )
            return dict(cursor.fetchall())

    def finish(self, report: ImportReport) -> None:
        record(
            self.actor,
            "directory.targets.imported",
            object_type="directory.target",
            object_repr=report.file_name,
            department_id=self.default_department_id,
            data=report.as_dict(),
        )


def _normalise_db(field: str, value):
    if field == "established_on" and isinstance(value, str):
        return date.fromisoformat(value)
    if field == "abnormal":
        return bool(value)
    return value
