"""Writes of annual plans: draft, submit, review (return or approve), publish, adjust, tasks of a batch.

Workflow (every step audited as ``plans.plan.<step>``)::

    draft --submit--> submitted --review: returned (opinion)--> draft
                                 --review: approved--> approved --publish--> published
    approved / published --adjust (reason)--> draft of the next version --submit--> ...

- Only an administrator of the lead department drafts, changes, submits and adjusts its plan; only the
  joint-meeting office reviews and publishes (see ``rules``).
- Approval writes a ``PlanVersion`` with the full content; it is what the district's annual plan shows
  until a later version is approved, so a plan under adjustment stays in force as last approved.
- Every review opinion is a new ``PlanReview`` row.
- Tasks are made from batches of a published plan (``batch_create_tasks``).

``items`` are ``(CheckItem, ratio or None)`` pairs (None takes the item's default ratio); ``batches`` are
dicts with ``number`` (None = next), ``name``, ``start_date``, ``end_date``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import diff, record
from fairspot.core.errors import DomainError
from fairspot.core.records import save_validated
from fairspot.draws.models import Task, TaskKind
from fairspot.draws.services import task_create
from fairspot.items.models import CheckItem, ItemType
from fairspot.plans import rules
from fairspot.plans.models import (
    Batch,
    BatchTask,
    Plan,
    PlanItem,
    PlanKind,
    PlanReview,
    PlanStatus,
    PlanVersion,
    ReviewDecision,
)
from fairspot.plans.versioning import flat_content, plan_content, ratio_text

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

# task values that always come from the plan and its batch
TASK_FIELDS_FROM_PLAN = frozenset({"kind", "department", "code", "ratio", "batch"})

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


def _check_departments(plan: Plan, participating: list) -> list:
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


def _check_items(plan: Plan, participating: list, items: list[tuple[CheckItem, Decimal]]) -> None:
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


def _apply(plan: Plan, *, values: dict[str, Any], participating, items, batches) -> None:
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
    participating = _check_departments(plan, list(participating))
    save_validated(plan, {"participating_departments": participating})
    if items is None:
        items = [(pi.item, pi.ratio) for pi in plan.items.select_related("item")]
    items = _normalise_items(items)
    _check_items(plan, participating, items)
    _write_items(plan, items)
    if batches is not None:
        batches = _normalise_batches(plan, batches)
        _check_batches(plan, batches)
        _write_batches(plan, batches)
    else:
        _check_batches(plan, list(plan.batches.values("number", "name", "start_date", "end_date")))


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _state(plan: Plan, *allowed: str) -> None:
    if plan.status not in allowed:
        raise DomainError(
            _("This cannot be done to a plan that is %(status)s.") % {"status": plan.get_status_display()}
        )


# --- the workflow --------------------------------------------------------------------------------
@transaction.atomic
def plan_create(*, actor, values: dict[str, Any], participating=(), items: ItemRows = (), batches=()) -> Plan:
    """A new draft, filed under the actor's department (the lead department)."""
    values = dict(values)
    department = values.pop("department", None) or actor.department
    rules.require_lead(actor, getattr(department, "pk", None))
    plan = Plan(department=department, created_by=actor, status=PlanStatus.DRAFT, version=1)
    _apply(plan, values=values, participating=participating, items=items, batches=batches)
    filled = {k: v for k, v in flat_content(plan).items() if v not in ("", None)}
    record(actor, "plans.plan.created", plan, changes=diff({}, filled))
    return plan


@transaction.atomic
def plan_change(
    *,
    actor,
    plan: Plan,
    values: dict[str, Any],
    participating=None,
    items: ItemRows | None = None,
    batches=None,
) -> Plan:
    """Change a draft (a new plan, one returned by the office, or an adjustment being prepared)."""
    plan = _locked(plan)
    rules.require_lead(actor, plan.department_id)
    _state(plan, PlanStatus.DRAFT)
    if plan.version > 1:
        values = {k: v for k, v in values.items() if k not in FIXED_ON_ADJUSTMENT}
    before = flat_content(plan)
    _apply(plan, values=values, participating=participating, items=items, batches=batches)
    changes = diff(before, flat_content(plan))
    if changes:
        record(actor, "plans.plan.changed", plan, changes=changes, data={"version": plan.version})
    return plan


def _check_complete(plan: Plan) -> None:
    if not plan.items.exists():
        raise DomainError(_("A plan needs at least one check item before it is submitted."), field="items")
    if not plan.batches.exists():
        raise DomainError(_("A plan needs at least one batch before it is submitted."), field="batches")
    participating = list(plan.participating_departments.all())
    _check_departments(plan, participating)
    # caps may have changed since the plan was drafted
    _check_items(plan, participating, [(pi.item, pi.ratio) for pi in plan.items.select_related("item")])


@transaction.atomic
def plan_submit(*, actor, plan: Plan) -> Plan:
    plan = _locked(plan)
    rules.require_lead(actor, plan.department_id)
    _state(plan, PlanStatus.DRAFT)
    _check_complete(plan)
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor
    plan.save(update_fields=["status", "submitted_at", "submitted_by"])
    record(
        actor,
        "plans.plan.submitted",
        plan,
        changes={"status": [PlanStatus.DRAFT, PlanStatus.SUBMITTED]},
        data={"version": plan.version},
    )
    return plan


@transaction.atomic
def plan_review(*, actor, plan: Plan, decision: str, opinion: str = "") -> PlanReview:
    """The office's review of a submitted plan: returned with an opinion (back to draft) or approved.

    Approval writes the approved version's full content (``PlanVersion``), which merges the plan into
    the district's annual plan.
    """
    rules.require_office(actor)
    plan = _locked(plan)
    _state(plan, PlanStatus.SUBMITTED)
    opinion = (opinion or "").strip()
    if decision not in ReviewDecision.values:
        raise DomainError(_("Choose whether the plan is returned or approved."), field="decision")
    if decision == ReviewDecision.RETURNED and not opinion:
        raise DomainError(_("Say why the plan is returned."), field="opinion")
    now = timezone.now()
    review = PlanReview.objects.create(
        plan=plan, version=plan.version, decision=decision, opinion=opinion, reviewer=actor, reviewed_at=now
    )
    if decision == ReviewDecision.RETURNED:
        plan.status = PlanStatus.DRAFT
        plan.save(update_fields=["status"])
        record(
            actor,
            "plans.plan.returned",
            plan,
            changes={"status": [PlanStatus.SUBMITTED, PlanStatus.DRAFT]},
            data={"version": plan.version, "opinion": opinion},
        )
        return review
    _check_complete(plan)
    content = plan_content(plan)
    PlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        reason=plan.adjustment_reason,
        content=content,
        prepared_by=plan.submitted_by,
        approved_by=actor,
        approved_at=now,
    )
    plan.status = PlanStatus.APPROVED
    plan.approved_at = now
    plan.adjustment_reason = ""
    plan.save(update_fields=["status", "approved_at", "adjustment_reason"])
    record(
        actor,
        "plans.plan.approved",
        plan,
        changes={"status": [PlanStatus.SUBMITTED, PlanStatus.APPROVED]},
        data={"version": plan.version, "opinion": opinion},
    )
    return review


@transaction.atomic
def plan_publish(*, actor, plan: Plan) -> Plan:
    """Publish the approved version (the plan notice)."""
    rules.require_office(actor)
    plan = _locked(plan)
    _state(plan, PlanStatus.APPROVED)
    previous = plan.published_version
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_version = plan.version
    plan.save(update_fields=["status", "published_at", "published_version"])
    record(
        actor,
        "plans.plan.published",
        plan,
        changes={
            "status": [PlanStatus.APPROVED, PlanStatus.PUBLISHED],
            "published_version": [previous, plan.version],
        },
        data={"version": plan.version},
    )
    return plan


@transaction.atomic
def plan_adjust(
    *,
    actor,
    plan: Plan,
    reason: str,
    values: dict[str, Any] | None = None,
    participating=None,
    items: ItemRows | None = None,
    batches=None,
) -> Plan:
    """Open the next version of an approved or published plan, with its reason and (optionally) changes.

    The new version is a draft that goes through submission and review again; the approved versions stay
    readable and the last of them stays in force until the new one is approved.
    """
    plan = _locked(plan)
    rules.require_lead(actor, plan.department_id)
    _state(plan, PlanStatus.APPROVED, PlanStatus.PUBLISHED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the plan is adjusted."), field="reason")
    before = flat_content(plan)
    previous_status = plan.status
    plan.version += 1
    plan.status = PlanStatus.DRAFT
    plan.adjustment_reason = reason
    values = {k: v for k, v in (values or {}).items() if k not in FIXED_ON_ADJUSTMENT}
    _apply(plan, values=values, participating=participating, items=items, batches=batches)
    changes = diff(before, flat_content(plan))
    changes["status"] = [previous_status, PlanStatus.DRAFT]
    changes["version"] = [plan.version - 1, plan.version]
    record(
        actor, "plans.plan.adjusted", plan, changes=changes, data={"version": plan.version, "reason": reason}
    )
    return plan


# --- tasks ---------------------------------------------------------------------------------------
def task_groups(plan: Plan) -> list[tuple[Decimal, list[CheckItem]]]:
    """The plan's items grouped by ratio, highest ratio first: one task (one draw) per group.

    A task has one sampling ratio. Items with the same ratio share a task, so a drawn target is
    inspected for all of them in one visit; items with different ratios are drawn separately, so no
    item is sampled above its cap nor below its planned ratio.
    """
    groups: dict[Decimal, list[CheckItem]] = {}
    for pi in plan.items.select_related("item").order_by("item__department__sort_order", "item__code"):
        groups.setdefault(pi.ratio, []).append(pi.item)
    return sorted(groups.items(), key=lambda g: g[0], reverse=True)


@transaction.atomic
def batch_create_tasks(*, actor, batch: Batch, values: dict[str, Any] | None = None) -> list[Task]:
    """Create the task(s) of a batch of a published plan: one per distinct ratio (see ``task_groups``).

    Each task carries the plan's scope, lead and participating departments and ``batch``; its inspection
    date is the batch's start date. ``values`` may set further task options (design, team size...).
    """
    plan = _locked(batch.plan)
    if not (rules.is_lead(actor, plan.department_id) or (actor.sees_all_departments and actor.can_manage)):
        raise PermissionDenied(_("Only the lead department or the office creates the tasks of a plan."))
    _state(plan, PlanStatus.PUBLISHED)
    batch = Batch.objects.select_for_update().get(pk=batch.pk, plan=plan)
    if batch.tasks.exists():
        raise DomainError(_("Batch %(name)s already has its tasks.") % {"name": batch.name})
    groups = task_groups(plan)
    if not groups:
        raise DomainError(_("The plan has no check items."))
    participating = list(plan.participating_departments.all())
    extra = {k: v for k, v in (values or {}).items() if k not in TASK_FIELDS_FROM_PLAN}
    tasks = []
    for n, (ratio, items) in enumerate(groups, start=1):
        code = f"{plan.code}-{batch.number:02d}" + (f"-{n}" if len(groups) > 1 else "")
        if len(code) > Task._meta.get_field("code").max_length:
            raise DomainError(_("The plan number is too long to number its tasks; shorten it."))
        if Task.objects.filter(code=code).exists():
            raise DomainError(_("Task number %(code)s is already taken.") % {"code": code})
        title = f"{plan.title} {batch.name}"
        if len(groups) > 1:
            title += f" ({ratio_text(ratio)})"
        task_values = {
            "kind": TaskKind.ROUTINE,
            "department": plan.department,
            "code": code,
            "title": title[:200],
            "inspection_date": batch.start_date,
            "ratio": ratio,
            "entity_types": plan.entity_types,
            "industry_sections": plan.industry_sections,
            "township": plan.township,
            "library": plan.library,
            **extra,
        }
        task = task_create(actor=actor, values=task_values, items=items, participating=participating)
        BatchTask.objects.create(batch=batch, task=task)
        tasks.append(task)
    record(
        actor,
        "plans.batch.tasks_created",
        plan,
        data={"batch": batch.number, "tasks": [t.code for t in tasks], "version": plan.version},
    )
    return tasks
