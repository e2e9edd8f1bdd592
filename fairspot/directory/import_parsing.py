"""Target import, parsing: a row's cells → ``(values, libraries)``, ready to be written.

The look-up tables of the target directory's words (entity types, statuses, risk classes), the
columns the importer writes, and ``TargetParsing.parse`` with one helper per cell (the fast path in
:mod:`fairspot.directory.import_fast` memoises the same helpers).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from fairspot.core.importing import RowContext
from fairspot.core.parsing import ParseError, choice_lookup, parse_bool, parse_date, split_multi
from fairspot.directory.models import MARKET_ENTITY_TYPES, EntityType, RegistrationStatus, RiskClass
from fairspot.directory.registry_types import class_from_uscc, classify
from fairspot.lib.uscc import normalize_uscc, uscc_error
from fairspot.reference.selectors import industry_codes, industry_section

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


# A parsed row is a tuple ``(values, libraries)``: ``values`` are DB_FIELDS' values (established_on
# as ISO text) followed by created_at and updated_at, ready to be written; ``libraries`` is a tuple of
# library ids as given (None when the file has no 专项库 column). Plain tuples, because large files
# are parsed in a worker process and sent over a pipe.
INSERT_FIELDS = (*DB_FIELDS, "created_at", "updated_at")

_ENTITY_VALUES = {text: str(value) for text, value in ENTITY_TYPES.items()}  # plain str, not enum members
_STATUS_VALUES = {text: str(value) for text, value in STATUSES.items()}
_ACTIVE = str(RegistrationStatus.ACTIVE)


class TargetParsing:
    """TargetImporter's parse() and its per-cell helpers (set up by TargetImporter.__init__)."""

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
                registry_text(entity_text),
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

    def key(self, parsed: tuple) -> str:
        return parsed[0][0]


def registry_text(text: str) -> str:
    """The register's own type name as given; empty for our coarse words (企业, 个体工商户, …), which the
    entity type already says, so an export imports back unchanged."""
    return "" if text.lower() in _ENTITY_VALUES else text


def _tags(text: str) -> str:
    return "；".join(split_multi(text))


def checked_tags(text: str, ctx) -> str:
    if len(text) > MAX_LENGTHS["tags"]:
        ctx.error("tags", "")
    return _tags(text)


def warm_industry_lookups() -> None:
    """Fill the per-process caches behind industry_section() (a forked parser must not query them)."""
    division = next((c for c in sorted(industry_codes()) if c.isdigit()), None)
    industry_section(division or "A")
