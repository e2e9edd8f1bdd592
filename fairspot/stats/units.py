"""What the statistics count: each *unit* (draws, drawn targets, visits, results, follow-ups, items,
plan batches) is a queryset narrowed by the report's filters, with the field naming its department.

A figure of the report is a conditional aggregate over one unit, grouped by department; its rows are
the same queryset filtered by the same condition (``measures.rows``), so a figure and the list behind it
can never disagree.

A unit's rows never repeat, so its figures are plain counts: every filter across a to-many relation is an
equality on a key unique there (a task's items, a plan's items ``planitem_once_per_plan``, a batch's
tasks ``BatchTask.task``), or a ``pk__in`` subquery (``visits``), and conditions are ``Exists``.
``test_report.test_a_units_rows_never_repeat`` holds every unit to it under every filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BigIntegerField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from fairspot.draws.models import Draw, DrawnTarget
from fairspot.inspections.models import FollowUp, ResultCorrection, Visit, VisitItem, VisitStatus
from fairspot.items.models import CheckItem
from fairspot.plans.models import Batch, BatchTask
from fairspot.stats.filters import Filters


@dataclass(frozen=True)
class Unit:
    key: str
    department: str  # the field (path) naming the department a record is counted under
    build: Callable[[Filters], QuerySet]
    day: str  # the date a record falls on (for the months of the dashboard)


def _draws(f: Filters, prefix: str = "") -> dict:
    """Lookups narrowing draws (or records reached through ``prefix`` to a draw)."""
    p = prefix
    lookups: dict = {}
    if f.year:
        lookups[f"{p}task__inspection_date__year"] = f.year
    if f.department:
        lookups[f"{p}task__department_id"] = f.department
    if f.plan:
        lookups[f"{p}task__batch_link__batch__plan_id"] = f.plan
    if f.task:
        lookups[f"{p}task_id"] = f.task
    if f.item:
        lookups[f"{p}task__items"] = f.item
    return lookups


def draws(f: Filters) -> QuerySet:
    return Draw.objects.filter(**_draws(f))


def drawn(f: Filters) -> QuerySet:
    return DrawnTarget.objects.filter(alternate=False, draw__status="revealed", **_draws(f, "draw__"))


def visits(f: Filters) -> QuerySet:
    """Visits (a replaced one is not counted: its alternate is), under their lead department."""
    qs = Visit.objects.exclude(status=VisitStatus.REPLACED)
    if f.year:
        qs = qs.filter(inspection_date__year=f.year)
    if f.department:
        qs = qs.filter(department_id=f.department)
    narrowing = {}
    if f.plan:
        narrowing["draw__task__batch_link__batch__plan_id"] = f.plan
    if f.task:
        narrowing["draw__task_id"] = f.task
    if f.item:
        narrowing["item_id"] = f.item
    if narrowing:
        qs = qs.filter(pk__in=VisitItem.objects.filter(**narrowing).values("visit_id"))
    return qs


def joint():
    """A visit with a department other than its lead department."""
    through = Visit.departments.through
    return Exists(
        through.objects.filter(visit_id=OuterRef("pk")).exclude(department_id=OuterRef("department_id"))
    )


def results(f: Filters) -> QuerySet:
    """Each check item of each visit (its result), under the item line's department, with the result
    as it stands (``standing_code``: the latest correction's, else the original)."""
    qs = VisitItem.objects.exclude(visit__status=VisitStatus.REPLACED)
    if f.year:
        qs = qs.filter(visit__inspection_date__year=f.year)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.plan:
        qs = qs.filter(draw__task__batch_link__batch__plan_id=f.plan)
    if f.task:
        qs = qs.filter(draw__task_id=f.task)
    if f.item:
        qs = qs.filter(item_id=f.item)
    latest = ResultCorrection.objects.filter(line_id=OuterRef("pk")).order_by("-created_at", "-pk")
    return qs.annotate(
        standing_code=Coalesce(
            Subquery(latest.values("result_code_id")[:1]), "result_code_id", output_field=BigIntegerField()
        )
    )


def followups(f: Filters) -> QuerySet:
    return FollowUp.objects.filter(line__in=results(f).values("pk"))


def items(f: Filters) -> QuerySet:
    """The check items covered: those with at least one result in scope."""
    return CheckItem.objects.filter(pk__in=results(f).values("item_id"))


def batches(f: Filters) -> QuerySet:
    qs = Batch.objects.all()
    if f.year:
        qs = qs.filter(plan__year=f.year)
    if f.department:
        qs = qs.filter(plan__department_id=f.department)
    if f.plan:
        qs = qs.filter(plan_id=f.plan)
    if f.task:
        qs = qs.filter(links__task_id=f.task)
    if f.item:
        qs = qs.filter(plan__items__item_id=f.item)
    return qs


def on_schedule():
    """A batch with a task inspected within the batch's dates whose draw was revealed."""
    return Exists(
        BatchTask.objects.filter(
            batch_id=OuterRef("pk"),
            task__inspection_date__gte=OuterRef("start_date"),
            task__inspection_date__lte=OuterRef("end_date"),
            task__draws__status="revealed",
        )
    )


UNITS = {
    u.key: u
    for u in [
        Unit("draws", "task__department", draws, "task__inspection_date"),
        Unit("drawn", "draw__task__department", drawn, "draw__task__inspection_date"),
        Unit("visits", "department", visits, "inspection_date"),
        Unit("results", "department", results, "visit__inspection_date"),
        Unit("followups", "line__department", followups, "line__visit__inspection_date"),
        Unit("items", "department", items, "effective_from"),
        Unit("batches", "plan__department", batches, "end_date"),
    ]
}
