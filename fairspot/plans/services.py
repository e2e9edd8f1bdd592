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

Drafting is here (the content's checks and writes: ``content``); submission, review and publication are
in ``review``, the tasks of a batch in ``batch_tasks``; all are offered here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.audit.services import diff, record
from fairspot.core.errors import DomainError
from fairspot.plans import rules
from fairspot.plans.batch_tasks import batch_create_tasks, task_groups
from fairspot.plans.content import (
    FIXED_ON_ADJUSTMENT,
    ItemRows,
    apply_content,
    check_ratio,
    locked,
    require_state,
)
from fairspot.plans.models import Plan, PlanStatus
from fairspot.plans.review import plan_publish, plan_review, plan_submit
from fairspot.plans.versioning import flat_content

__all__ = [
    "batch_create_tasks",
    "check_ratio",
    "plan_adjust",
    "plan_change",
    "plan_create",
    "plan_publish",
    "plan_review",
    "plan_submit",
    "task_groups",
]


@transaction.atomic
def plan_create(*, actor, values: dict[str, Any], participating=(), items: ItemRows = (), batches=()) -> Plan:
    """A new draft, filed under the actor's department (the lead department)."""
    values = dict(values)
    department = values.pop("department", None) or actor.department
    rules.require_lead(actor, getattr(department, "pk", None))
    plan = Plan(department=department, created_by=actor, status=PlanStatus.DRAFT, version=1)
    apply_content(plan, values=values, participating=participating, items=items, batches=batches)
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
    plan = locked(plan)
    rules.require_lead(actor, plan.department_id)
    require_state(plan, PlanStatus.DRAFT)
    if plan.version > 1:
        values = {k: v for k, v in values.items() if k not in FIXED_ON_ADJUSTMENT}
    before = flat_content(plan)
    apply_content(plan, values=values, participating=participating, items=items, batches=batches)
    changes = diff(before, flat_content(plan))
    if changes:
        record(actor, "plans.plan.changed", plan, changes=changes, data={"version": plan.version})
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
    plan = locked(plan)
    rules.require_lead(actor, plan.department_id)
    require_state(plan, PlanStatus.APPROVED, PlanStatus.PUBLISHED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the plan is adjusted."), field="reason")
    before = flat_content(plan)
    previous_status = plan.status
    plan.version += 1
    plan.status = PlanStatus.DRAFT
    plan.adjustment_reason = reason
    values = {k: v for k, v in (values or {}).items() if k not in FIXED_ON_ADJUSTMENT}
    apply_content(plan, values=values, participating=participating, items=items, batches=batches)
    changes = diff(before, flat_content(plan))
    changes["status"] = [previous_status, PlanStatus.DRAFT]
    changes["version"] = [plan.version - 1, plan.version]
    record(
        actor, "plans.plan.adjusted", plan, changes=changes, data={"version": plan.version, "reason": reason}
    )
    return plan
