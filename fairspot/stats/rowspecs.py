"""How the rows behind a figure are shown and exported: per unit, the columns, a row and a link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairspot.reference.models import ResultCode


def _d(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


@dataclass(frozen=True)
class RowSpec:
    header: Callable[[], list[str]]
    row: Callable[[object, dict], list]
    link: Callable[[object], str]
    prepare: Callable[[QuerySet], QuerySet]


def _codes(objects) -> dict:
    ids = {getattr(o, "standing_code", None) for o in objects} - {None}
    return {c.pk: c.label for c in ResultCode.objects.filter(pk__in=ids)}


SPECS = {
    "draws": RowSpec(
        lambda: [_("Draw number"), _("Task"), _("Department"), _("Status"), _("Population"), _("Committed")],
        lambda d, _x: [
            d.draw_id,
            d.task.title,
            d.task.department.name,
            d.get_status_display(),
            d.population_size,
            _d(d.committed_at),
        ],
        lambda d: reverse("draws:draw", args=[d.draw_id]),
        lambda qs: qs.select_related("task", "task__department").order_by("-committed_at"),
    ),
    "drawn": RowSpec(
        lambda: [
            _("Target"),
            _("Unified social credit code"),
            _("Draw number"),
            _("Stratum"),
            _("Department"),
        ],
        lambda t, _x: [
            t.target.name,
            t.target.identifier,
            t.draw.draw_id,
            t.stratum,
            t.draw.task.department.name,
        ],
        lambda t: reverse("directory:detail", args=[t.target_id]),
        lambda qs: qs.select_related("target", "draw", "draw__task__department").order_by("draw_id", "rank"),
    ),
    "visits": RowSpec(
        lambda: [
            _("Target"),
            _("Inspection date"),
            _("Lead department"),
            _("Status"),
            _("Publication deadline"),
        ],
        lambda v, _x: [
            v.target.name,
            _d(v.inspection_date),
            v.department.name,
            v.get_status_display(),
            _d(v.deadline),
        ],
        lambda v: reverse("stats:diligence", args=[v.pk]),
        lambda qs: qs.select_related("target", "department").order_by("-inspection_date", "target__name"),
    ),
    "results": RowSpec(
        lambda: [
            _("Target"),
            _("Check item"),
            _("Department"),
            _("Inspection date"),
            _("Publication deadline"),
            _("Result status"),
            _("Published"),
            _("Result"),
        ],
        lambda li, codes: [
            li.visit.target.name,
            f"{li.item.code} {li.item.name}",
            li.department.name,
            _d(li.visit.inspection_date),
            _d(li.visit.deadline),
            li.get_status_display(),
            _d(li.published_at),
            codes.get(li.standing_code, ""),
        ],
        lambda li: reverse("inspections:visit", args=[li.visit_id]) + f"#line-{li.pk}",
        lambda qs: qs.select_related("visit", "visit__target", "item", "department").order_by(
            "-visit__inspection_date", "visit__target__name", "item__code"
        ),
    ),
    "followups": RowSpec(
        lambda: [
            _("Target"),
            _("Check item"),
            _("Department"),
            _("Disposition"),
            _("Closed"),
            _("Closing date"),
        ],
        lambda fu, _x: [
            fu.line.visit.target.name,
            f"{fu.line.item.code} {fu.line.item.name}",
            fu.line.department.name,
            fu.get_disposition_display(),
            _("yes") if fu.closed else _("no"),
            _d(fu.closed_on),
        ],
        lambda fu: reverse("inspections:visit", args=[fu.line.visit_id]) + f"#line-{fu.line_id}",
        lambda qs: qs.select_related(
            "line", "line__visit__target", "line__item", "line__department"
        ).order_by("-created_at"),
    ),
    "items": RowSpec(
        lambda: [_("Item number"), _("Check item"), _("Department")],
        lambda i, _x: [i.code, i.name, i.department.name],
        lambda i: reverse("items:detail", args=[i.pk]),
        lambda qs: qs.select_related("department").order_by("department__sort_order", "code"),
    ),
    "batches": RowSpec(
        lambda: [_("Plan"), _("Batch"), _("Department"), _("Start date"), _("End date")],
        lambda b, _x: [
            f"{b.plan.code} {b.plan.title}",
            b.name,
            b.plan.department.name,
            _d(b.start_date),
            _d(b.end_date),
        ],
        lambda b: reverse("plans:detail", args=[b.plan_id]),
        lambda qs: qs.select_related("plan", "plan__department").order_by(
            "-plan__year", "plan__code", "number"
        ),
    ),
}

UNIT_NAMES = {
    "draws": gettext_lazy("draws"),
    "drawn": gettext_lazy("drawn targets"),
    "visits": gettext_lazy("visits"),
    "results": gettext_lazy("results"),
    "followups": gettext_lazy("follow-ups"),
    "items": gettext_lazy("check items"),
    "batches": gettext_lazy("plan batches"),
}


def table(unit: str, objects: list) -> tuple[list[str], list[tuple[str, list]]]:
    """The header and ``(link, cells)`` for each record of a page (or the whole export)."""
    spec = SPECS[unit]
    codes = _codes(objects) if unit == "results" else {}
    return spec.header(), [(spec.link(o), spec.row(o, codes)) for o in objects]
