"""Export of check-item lists in the import format."""

from collections.abc import Iterator

from django.db.models import QuerySet

from fairspot.directory.exporters import ENTITY_LABELS
from fairspot.items.columns import ITEM_EXPORT_HEADER
from fairspot.items.models import CheckItem, ItemType
from fairspot.reference.models import CheckMethod

TYPE_LABELS = {ItemType.KEY: "重点", ItemType.GENERAL: "一般"}


def export_header() -> list[str]:
    return list(ITEM_EXPORT_HEADER)


def _ratio(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def item_rows(qs: QuerySet[CheckItem]) -> Iterator[list[str]]:
    methods = dict(CheckMethod.objects.values_list("code", "label"))
    items = qs.select_related("department", "target_library").prefetch_related("participating_departments")
    for item in items.order_by("department__sort_order", "code"):
        yield [
            item.department.name,
            item.code,
            item.name,
            TYPE_LABELS[item.item_type],
            item.category,
            item.legal_basis,
            item.implementing_body,
            item.target_scope,
            "；".join(ENTITY_LABELS.get(t, t) for t in item.target_entity_types.split("；") if t),
            item.target_industries,
            item.target_library.name if item.target_library else "",
            item.target_regions,
            item.content,
            "；".join(item.checklist_points),
            "；".join(methods.get(m, m) for m in item.method_codes),
            _ratio(item.default_ratio),
            _ratio(item.ratio_cap),
            "；".join(d.name for d in item.participating_departments.all()),
            item.frequency,
            str(item.repeat_window_days),
            str(item.firm_annual_cap or ""),
            str(item.team_size),
            item.required_qualification,
            "是" if item.published else "否",
            item.effective_from.isoformat(),
            "",
        ]
