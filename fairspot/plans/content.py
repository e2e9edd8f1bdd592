"""An annual plan's content, as drafted: header values, participating departments, items and batches,
checked and written (for plan_create, plan_change and plan_adjust in ``services``); the plan row locked
and its status required by every step of the workflow."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fairspot.core.errors import DomainError
from fairspot.core.records import save_validated
from fairspot.items.models import CheckItem, ItemType
from fairspot.plans.models import Batch, Plan, PlanItem, PlanKind
from fairspot.plans.versioning import ratio_text

PLAN_FIELDS = (
    "year",
    "code",
    "title",
    "kind",
    "scope_kind",
    "target_scope",
    "entity_types",
    "industry_sections",
    "township",
    "library",
    "description",
)
RATIO_STEP = Decimal("0.0001")
MIN_YEAR, MAX_YEAR = 2000, 2100
# what an adjustment may not change: the plan stays the same plan of the same department and year
FIXED_ON_ADJUSTMENT = ("year", "code")

ItemRows = Iterable[tuple[CheckItem, Decimal | None]]


# --- checks --------------------------------------------------------------------------------------
def check_ratio(item: CheckItem, ratio: Decimal) -> None:
    """A plan's ratio for an item: more than 0, at most 1, and within the cap of a general item."""
    if ratio is None or ratio <= 0 or ratio > 1:
        raise DomainError(
            _("The ratio of item %(item)s must be more than 0 and at most 1.") % {"item": item.code},
            field="items",
        )
    if ratio != ratio.quantize(RATIO_STEP):
        raise DomainError(
            _("The ratio of item %(item)s has more than four decimal places.") % {"item": item.code},
            field="items",
        )
    if item.item_type == ItemType.GENERAL and item.ratio_cap is not None and ratio > item.ratio_cap:
        raise DomainError(
            _("The ratio %(ratio)s of general item %(item)s exceeds its cap %(cap)s.")
            % {"ratio": ratio_text(ratio), "item": item.code, "cap": ratio_text(item.ratio_cap)},
            field="items",
        )


def check_departments(plan: Plan, participating: list) -> list:
    participating = [d for d in participating if d.pk != plan.department_id]
    if plan.kind == PlanKind.DEPARTMENT and participating:
        raise DomainError(
            _("A department plan has no participating departments; make it a joint plan."),
            field="participating_departments",
        )
    if plan.kind == PlanKind.JOINT and not participating:
        raise DomainError(
            _("A joint plan names at least one participating department."),
            field="participating_departments",
        )
    return participating


def check_items(plan: Plan, participating: list, items: list[tuple[CheckItem, Decimal]]) -> None:
    allowed = {plan.department_id} | {d.pk for d in participating}
    seen = set()
    for item, ratio in items:
        if item.pk in seen:
            raise DomainError(_("Item %(item)s is listed twice.") % {"item": item.code}, field="items")
        seen.add(item.pk)
        if item.department_id not in allowed:
            raise DomainError(
                _("Item %(item)s belongs to %(department)s, which does not take part in this plan.")
                % {"item": item.code, "department": item.department},
                field="items",
            )
        check_ratio(item, ratio)


def _check_batches(plan: Plan, batches: list[dict]) -> None:
    numbers = set()
    for batch in batches:
        if batch["number"] in numbers:
            raise DomainError(
                _("Batch number %(n)s is used twice.") % {"n": batch["number"]}, field="batches"
            )
        numbers.add(batch["number"])
        if not (batch.get("name") or "").strip():
            raise DomainError(_("Every batch needs a name."), field="batches")
        start, end = batch["start_date"], batch["end_date"]
        if end < start:
            raise DomainError(
                _("Batch %(name)s ends before it starts.") % {"name": batch["name"]}, field="batches"
            )
        if start.year != plan.year or end.year != plan.year:
            raise DomainError(
                _("The dates of batch %(name)s lie outside the plan year %(year)s.")
                % {"name": batch["name"], "year": plan.year},
                field="batches",
            )


def _normalise_items(items: ItemRows) -> list[tuple[CheckItem, Decimal]]:
    return [(item, item.default_ratio if ratio is None else Decimal(ratio)) for item, ratio in items]


def _normalise_batches(plan: Plan, batches: Iterable[dict]) -> list[dict]:
    rows = [dict(b) for b in batches]
    used = {b["number"] for b in rows if b.get("number")}
    following = max([*used, *plan.batches.values_list("number", flat=True), 0])
    for row in rows:
        if not row.get("number"):
            following += 1
            while following in used:
                following += 1
            row["number"] = following
            used.add(following)
    return sorted(rows, key=lambda b: b["number"])


def _next_code(year: int, department) -> str:
    n = Plan.objects.filter(year=year, department=department).count() + 1
    while Plan.objects.filter(code=f"{year}-{department.code}-{n:02d}").exists():
        n += 1
    return f"{year}-{department.code}-{n:02d}"


# --- writing the content -------------------------------------------------------------------------
def _write_items(plan: Plan, items: list[tuple[CheckItem, Decimal]]) -> None:
    current = {pi.item_id: pi for pi in plan.items.all()}
    wanted = {item.pk: ratio for item, ratio in items}
    plan.items.exclude(item_id__in=list(wanted)).delete()
    for item_id, ratio in wanted.items():
        row = current.get(item_id)
        if row is None:
            PlanItem.objects.create(plan=plan, item_id=item_id, ratio=ratio)
        elif row.ratio != ratio:
            row.ratio = ratio
            row.save(update_fields=["ratio"])


def _write_batches(plan: Plan, batches: list[dict]) -> None:
    current = {b.number: b for b in plan.batches.prefetch_related("tasks")}
    wanted = {b["number"]: b for b in batches}
    for number, batch in current.items():
        has_tasks = bool(batch.tasks.all())
        row = wanted.get(number)
        if row is None:
            if has_tasks:
                raise DomainError(
                    _("Batch %(name)s already has a task; it cannot be removed.") % {"name": batch.name},
                    field="batches",
                )
            batch.delete()
            continue
        values = {"name": row["name"].strip(), "start_date": row["start_date"], "end_date": row["end_date"]}
        if any(getattr(batch, k) != v for k, v in values.items()):
            if has_tasks:
                raise DomainError(
                    _("Batch %(name)s already has a task; it cannot be changed.") % {"name": batch.name},
                    field="batches",
                )
            for key, value in values.items():
                setattr(batch, key, value)
            batch.save()
    for number, row in wanted.items():
        if number not in current:
            Batch.objects.create(
                plan=plan,
                number=number,
                name=row["name"].strip(),
                start_date=row["start_date"],
                end_date=row["end_date"],
            )


def apply_content(plan: Plan, *, values: dict[str, Any], participating, items, batches) -> None:
    """Set header values, participating departments, items and batches (each None = leave as is)."""
    for field in PLAN_FIELDS:
        if field in values:
            setattr(plan, field, values[field])
    department = values.get("department")
    if department is not None and department.pk != plan.department_id:
        raise PermissionDenied(_("The lead department of a plan does not change."))
    if not plan.year or not MIN_YEAR <= plan.year <= MAX_YEAR:
        raise DomainError(_("Enter the plan year, e.g. 2026."), field="year")
    if not plan.code:
        plan.code = _next_code(plan.year, plan.department)
    if participating is None:
        participating = list(plan.participating_departments.all()) if plan.pk else []
    participating = check_departments(plan, list(participating))
    save_validated(plan, {"participating_departments": participating})
    if items is None:
        items = [(pi.item, pi.ratio) for pi in plan.items.select_related("item")]
    items = _normalise_items(items)
    check_items(plan, participating, items)
    _write_items(plan, items)
    if batches is not None:
        batches = _normalise_batches(plan, batches)
        _check_batches(plan, batches)
        _write_batches(plan, batches)
    else:
        _check_batches(plan, list(plan.batches.values("number", "name", "start_date", "end_date")))


def locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def require_state(plan: Plan, *allowed: str) -> None:
    if plan.status not in allowed:
        raise DomainError(
            _("This cannot be done to a plan that is %(status)s.") % {"status": plan.get_status_display()}
        )
