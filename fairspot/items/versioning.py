"""Item versions: the content that a version freezes, and writing a new version."""

from datetime import date
from decimal import Decimal

from fairspot.items.models import CheckItem, CheckItemVersion

VERSIONED_FIELDS = (
    "code",
    "name",
    "category",
    "legal_basis",
    "implementing_body",
    "target_scope",
    "target_entity_types",
    "target_industries",
    "target_library_id",
    "target_regions",
    "content",
    "checklist",
    "methods",
    "item_type",
    "default_ratio",
    "ratio_cap",
    "frequency",
    "repeat_window_days",
    "firm_annual_cap",
    "team_size",
    "required_qualification",
    "published",
)


def item_content(item: CheckItem) -> dict:
    content = {f: getattr(item, f) for f in VERSIONED_FIELDS}
    for f in ("default_ratio", "ratio_cap"):
        content[f] = None if content[f] is None else str(Decimal(content[f]).quantize(Decimal("0.0001")))
    content["participating_departments"] = sorted(
        item.participating_departments.values_list("code", flat=True)
    )
    return content


def write_version(item: CheckItem, *, actor, reason: str, effective_from: date) -> CheckItemVersion:
    return CheckItemVersion.objects.create(
        item=item,
        version=item.version,
        effective_from=effective_from,
        reason=reason,
        content=item_content(item),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
