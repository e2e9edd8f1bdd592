"""Submission, review and publication of an annual plan (audited as ``plans.plan.<step>``).

A submitted plan is returned with an opinion (back to draft) or approved; approval writes the approved
version's full content (``PlanVersion``); the office then publishes it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.plans import rules
from fairspot.plans.content import check_departments, check_items, locked, require_state
from fairspot.plans.models import Plan, PlanReview, PlanStatus, PlanVersion, ReviewDecision
from fairspot.plans.versioning import plan_content


def _check_complete(plan: Plan) -> None:
    if not plan.items.exists():
        raise DomainError(_("A plan needs at least one check item before it is submitted."), field="items")
    if not plan.batches.exists():
        raise DomainError(_("A plan needs at least one batch before it is submitted."), field="batches")
    participating = list(plan.participating_departments.all())
    check_departments(plan, participating)
    # caps may have changed since the plan was drafted
    check_items(plan, participating, [(pi.item, pi.ratio) for pi in plan.items.select_related("item")])


@transaction.atomic
def plan_submit(*, actor, plan: Plan) -> Plan:
    plan = locked(plan)
    rules.require_lead(actor, plan.department_id)
    require_state(plan, PlanStatus.DRAFT)
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
    plan = locked(plan)
    require_state(plan, PlanStatus.SUBMITTED)
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
    plan = locked(plan)
    require_state(plan, PlanStatus.APPROVED)
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
