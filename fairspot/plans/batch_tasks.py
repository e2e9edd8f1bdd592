"""The tasks of a batch of a published plan: one task (one draw) per distinct ratio of the plan's items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draws.classes import ratio_words
from fairspot.draws.models import Task, TaskKind
from fairspot.draws.services import task_create
from fairspot.items.models import CheckItem
from fairspot.plans import rules
from fairspot.plans.content import locked, require_state
from fairspot.plans.models import Batch, BatchTask, Plan, PlanStatus
from fairspot.plans.versioning import ratio_text

# task values that always come from the plan and its batch
TASK_FIELDS_FROM_PLAN = frozenset({"kind", "department", "code", "ratio", "class_ratios", "batch"})


def task_groups(plan: Plan) -> list[tuple[tuple[Decimal, str], list[CheckItem]]]:
    """The plan's items grouped by ratio (and ratios per class), highest ratio first: one task (one
    draw) per group.

    A task has one sampling ratio. Items with the same ratio share a task, so a drawn target is
    inspected for all of them in one visit; items with different ratios are drawn separately, so no
    item is sampled above its cap nor below its planned ratio.
    """
    groups: dict[tuple[Decimal, str], list[CheckItem]] = {}
    for pi in plan.items.select_related("item").order_by("item__department__sort_order", "item__code"):
        groups.setdefault((pi.ratio, pi.class_ratios), []).append(pi.item)
    return sorted(groups.items(), key=lambda g: (g[0][0], g[0][1]), reverse=True)


@transaction.atomic
def batch_create_tasks(*, actor, batch: Batch, values: dict[str, Any] | None = None) -> list[Task]:
    """Create the task(s) of a batch of a published plan: one per distinct ratio (see ``task_groups``).

    Each task carries the plan's scope, lead and participating departments and ``batch``; its inspection
    date is the batch's start date. ``values`` may set further task options (design, team size...).
    """
    plan = locked(batch.plan)
    if not (rules.is_lead(actor, plan.department_id) or (actor.sees_all_departments and actor.can_manage)):
        raise PermissionDenied(_("Only the lead department or the office creates the tasks of a plan."))
    require_state(plan, PlanStatus.PUBLISHED)
    batch = Batch.objects.select_for_update().get(pk=batch.pk, plan=plan)
    if batch.tasks.exists():
        raise DomainError(_("Batch %(name)s already has its tasks.") % {"name": batch.name})
    groups = task_groups(plan)
    if not groups:
        raise DomainError(_("The plan has no check items."))
    participating = list(plan.participating_departments.all())
    extra = {k: v for k, v in (values or {}).items() if k not in TASK_FIELDS_FROM_PLAN}
    tasks = []
    for n, ((ratio, class_ratios), items) in enumerate(groups, start=1):
        code = f"{plan.code}-{batch.number:02d}" + (f"-{n}" if len(groups) > 1 else "")
        if len(code) > Task._meta.get_field("code").max_length:
            raise DomainError(_("The plan number is too long to number its tasks; shorten it."))
        if Task.objects.filter(code=code).exists():
            raise DomainError(_("Task number %(code)s is already taken.") % {"code": code})
        title = f"{plan.title} {batch.name}"
        if len(groups) > 1:
            title += f" ({ratio_text(ratio)}{''.join(' ' + w for w in ratio_words(class_ratios))})"
        task_values = {
            "kind": TaskKind.ROUTINE,
            "department": plan.department,
            "code": code,
            "title": title[:200],
            "inspection_date": batch.start_date,
            "ratio": ratio,
            "class_ratios": class_ratios,
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
