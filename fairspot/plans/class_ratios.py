"""Ratios per credit-risk class on a plan item: the batch's task draws by class (``draws.classes``).

Set on a draft plan by its lead department, item by item; checked like a task's (readable, and the
general item's cap held for the whole population in the plan's scope). Items with the same ratio and
the same ratios per class share a task (``plans.batch_tasks``).
"""

from __future__ import annotations

from django.db import transaction

from fairspot.audit.services import record
from fairspot.draws.classes import check_task
from fairspot.plans import rules
from fairspot.plans.content import locked, require_state
from fairspot.plans.models import PlanItem, PlanStatus

SCOPE_FIELDS = ("entity_types", "industry_sections", "township", "library")


@transaction.atomic
def plan_item_class_ratios(*, actor, plan_item: PlanItem, text: str) -> PlanItem:
    plan = locked(plan_item.plan)
    rules.require_lead(actor, plan.department_id)
    require_state(plan, PlanStatus.DRAFT)
    plan_item = PlanItem.objects.select_related("item").get(pk=plan_item.pk, plan=plan)
    values = {"class_ratios": text.strip(), "ratio": plan_item.ratio, "design": "srs"}
    values.update({f: getattr(plan, f) for f in SCOPE_FIELDS})
    if values["class_ratios"]:
        check_task(values, [plan_item.item], True)  # normalises the text, refuses what breaks a cap
    before = plan_item.class_ratios
    plan_item.class_ratios = values["class_ratios"]
    plan_item.save(update_fields=["class_ratios"])
    record(
        actor,
        "plans.item.class_ratios_changed",
        plan,
        changes={"class_ratios": [before, plan_item.class_ratios]},
        data={"item": plan_item.item.code},
    )
    return plan_item
