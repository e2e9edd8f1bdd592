"""Tasks of a batch: a published plan's batch becomes one task (one draw) per sampling ratio."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draws.models import Task, TaskKind
from fairspot.plans import services
from fairspot.testing.plans import YEAR, approve, batch, make_joint_plan, make_plan, publish

pytestmark = pytest.mark.django_db


def test_batch_becomes_a_task(departments, items, market_admin, office):
    plan = make_joint_plan(market_admin, items, departments)
    plan.entity_types = "enterprise"
    plan.industry_sections = "C"
    plan.save()
    plan = publish(plan, market_admin, office)
    first = plan.batches.get(number=1)
    [task] = services.batch_create_tasks(actor=market_admin, batch=first)
    assert task.batch_link.batch == first and list(first.tasks.all()) == [task]
    assert task.code == f"{plan.code}-01" and task.title == f"{plan.title} {first.name}"
    assert task.kind == TaskKind.ROUTINE and task.department == departments["market"]
    assert task.inspection_date == date(YEAR, 3, 1) and task.ratio == Decimal("0.03")
    assert set(task.items.values_list("code", flat=True)) == {"A01", "F01"}
    assert list(task.participating_departments.all()) == [departments["fire"]]
    assert (task.entity_types, task.industry_sections) == ("enterprise", "C")
    assert AuditEntry.objects.filter(action="draws.task.created", object_id=str(task.pk)).exists()
    logged = AuditEntry.objects.get(action="plans.batch.tasks_created")
    assert logged.data == {"batch": 1, "tasks": [task.code], "version": 1}
    with pytest.raises(DomainError, match="already has its tasks"):
        services.batch_create_tasks(actor=market_admin, batch=first)


def test_items_with_different_ratios_become_one_task_each(items, market_admin, office):
    plan = make_plan(
        market_admin, items, ratios={"general": Decimal("0.03"), "key": Decimal("0.3")}, batches=[batch()]
    )
    plan = publish(plan, market_admin, office)
    tasks = services.batch_create_tasks(actor=office, batch=plan.batches.get(), values={"team_size": 3})
    assert [(t.code, t.ratio, [i.code for i in t.items.all()]) for t in tasks] == [
        (f"{plan.code}-01-1", Decimal("0.3"), ["K01"]),
        (f"{plan.code}-01-2", Decimal("0.03"), ["A01"]),
    ]
    assert all(t.team_size == 3 and t.created_by == office for t in tasks)


def test_tasks_only_from_published_plans_and_by_the_lead_or_office(items, market_admin, fire_admin, office):
    plan = approve(make_plan(market_admin, items), market_admin, office)
    with pytest.raises(DomainError):
        services.batch_create_tasks(actor=market_admin, batch=plan.batches.get())
    services.plan_publish(actor=office, plan=plan)
    with pytest.raises(PermissionDenied):
        services.batch_create_tasks(actor=fire_admin, batch=plan.batches.get())
    assert not Task.objects.exists()


def test_a_batch_with_a_task_stays_as_it_was(items, market_admin, office):
    plan = publish(
        make_plan(market_admin, items, batches=[batch(1), batch(2, (9, 1), (9, 30))]), market_admin, office
    )
    services.batch_create_tasks(actor=market_admin, batch=plan.batches.get(number=1))
    with pytest.raises(DomainError, match="cannot be removed"):
        services.plan_adjust(
            actor=market_admin, plan=plan, reason="取消第一批", batches=[batch(2, (9, 1), (9, 30))]
        )
    with pytest.raises(DomainError, match="cannot be changed"):
        services.plan_adjust(
            actor=market_admin,
            plan=plan,
            reason="推迟",
            batches=[batch(1, (3, 15)), batch(2, (9, 1), (9, 30))],
        )
    plan = services.plan_adjust(
        actor=market_admin, plan=plan, reason="推迟第二批", batches=[batch(1), batch(2, (10, 1), (10, 31))]
    )
    assert plan.batches.get(number=2).start_date == date(YEAR, 10, 1)
    # while the adjustment is under way no new task is made
    with pytest.raises(DomainError):
        services.batch_create_tasks(actor=market_admin, batch=plan.batches.get(number=2))
