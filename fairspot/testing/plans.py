"""Plans in tests: check items, batches, and a plan taken through its workflow."""

from datetime import date
from decimal import Decimal

from fairspot.items.models import CheckItem
from fairspot.plans import services
from fairspot.plans.models import PlanKind, ReviewDecision

YEAR = 2026


def item(department, code, item_type, default, cap=None):
    return CheckItem.objects.create(
        department=department,
        code=code,
        name=f"事项{code}",
        item_type=item_type,
        default_ratio=Decimal(default),
        ratio_cap=None if cap is None else Decimal(cap),
        effective_from=date(YEAR, 1, 1),
    )


def batch(number=1, start=(3, 1), end=(4, 30), name=None):
    return {
        "number": number,
        "name": name or f"第{number}批",
        "start_date": date(YEAR, *start),
        "end_date": date(YEAR, *end),
    }


def make_plan(actor, items, *, title="市场监管部门年度抽查计划", ratios=None, batches=None, **values):
    ratios = {"general": Decimal("0.03")} if ratios is None else ratios
    return services.plan_create(
        actor=actor,
        values={"year": YEAR, "title": title, **values},
        items=[(items[key], ratio) for key, ratio in ratios.items()],
        batches=[batch()] if batches is None else batches,
    )


def make_joint_plan(actor, items, departments):
    return services.plan_create(
        actor=actor,
        values={"year": YEAR, "title": "企业年报信息联合抽查", "kind": PlanKind.JOINT},
        participating=[departments["fire"]],
        items=[(items["general"], Decimal("0.03")), (items["fire"], Decimal("0.03"))],
        batches=[batch()],
    )


def approve(plan, lead, office, opinion="同意"):
    services.plan_submit(actor=lead, plan=plan)
    services.plan_review(actor=office, plan=plan, decision=ReviewDecision.APPROVED, opinion=opinion)
    plan.refresh_from_db()
    return plan


def publish(plan, lead, office):
    approve(plan, lead, office)
    services.plan_publish(actor=office, plan=plan)
    plan.refresh_from_db()
    return plan
