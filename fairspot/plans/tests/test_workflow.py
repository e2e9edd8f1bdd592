"""The plan workflow in the services: draft → submitted → reviewed → approved → published, adjustments."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.audit.selectors import entries_about, verify_chain
from fairspot.core.errors import DomainError
from fairspot.plans import services
from fairspot.plans.models import PlanReview, PlanStatus, PlanVersion, ReviewDecision
from fairspot.plans.selectors import district_plan, plans_for
from fairspot.testing.plans import YEAR, approve, batch, make_joint_plan, make_plan, publish

pytestmark = pytest.mark.django_db


def test_full_workflow(departments, items, market_admin, office):
    plan = make_plan(
        market_admin,
        items,
        ratios={"general": Decimal("0.03"), "key": Decimal("0.3")},
        batches=[batch(1), batch(2, (9, 1), (10, 31))],
        target_scope="辖区内登记的企业",
    )
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    assert plan.code == f"{YEAR}-SCJG-01" and plan.department == departments["market"]
    assert [b.number for b in plan.batches.all()] == [1, 2]

    services.plan_submit(actor=market_admin, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_by == market_admin

    services.plan_review(actor=office, plan=plan, decision=ReviewDecision.RETURNED, opinion="比例偏低")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

    services.plan_change(
        actor=market_admin,
        plan=plan,
        values={},
        items=[(items["general"], Decimal("0.05")), (items["key"], Decimal("0.3"))],
    )
    services.plan_submit(actor=market_admin, plan=plan)
    services.plan_review(actor=office, plan=plan, decision=ReviewDecision.APPROVED, opinion="同意")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_at is not None
    v1 = plan.versions.get()
    assert v1.version == 1 and v1.approved_by == office and v1.prepared_by == market_admin
    assert [(i["code"], i["ratio"]) for i in v1.content["items"]] == [("A01", "0.05"), ("K01", "0.3")]
    assert [b["start_date"] for b in v1.content["batches"]] == ["2026-03-01", "2026-09-01"]

    services.plan_publish(actor=office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_version == 1 and plan.published_at

    actions = list(entries_about(plan).order_by("id").values_list("action", flat=True))
    assert actions == [
        "plans.plan.created",
        "plans.plan.submitted",
        "plans.plan.returned",
        "plans.plan.changed",
        "plans.plan.submitted",
        "plans.plan.approved",
        "plans.plan.published",
    ]
    changed = AuditEntry.objects.get(action="plans.plan.changed")
    assert changed.changes["items"] == ["A01 0.03；K01 0.3", "A01 0.05；K01 0.3"]
    assert changed.department_id == departments["market"].pk
    assert verify_chain().ok


def test_plan_without_items_is_refused_at_submit(items, market_admin):
    plan = make_plan(market_admin, items, ratios={})
    with pytest.raises(DomainError, match="at least one check item") as exc:
        services.plan_submit(actor=market_admin, plan=plan)
    assert exc.value.field == "items"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not AuditEntry.objects.filter(action="plans.plan.submitted").exists()


def test_plan_without_batches_is_refused_at_submit(items, market_admin):
    plan = make_plan(market_admin, items, batches=[])
    with pytest.raises(DomainError, match="at least one batch"):
        services.plan_submit(actor=market_admin, plan=plan)


def test_general_ratio_above_cap_is_refused_and_key_ratio_is_not_capped(items, market_admin):
    with pytest.raises(DomainError, match="exceeds its cap") as exc:
        make_plan(market_admin, items, ratios={"general": Decimal("0.06")})
    assert exc.value.field == "items"
    plan = make_plan(market_admin, items, ratios={"general": Decimal("0.05"), "key": Decimal("1")})
    assert sorted(plan.items.values_list("ratio", flat=True)) == [Decimal("0.05"), Decimal("1")]
    with pytest.raises(DomainError, match="more than 0 and at most 1"):
        services.plan_change(actor=market_admin, plan=plan, values={}, items=[(items["key"], Decimal("1.5"))])


def test_empty_ratio_takes_the_item_default(items, market_admin):
    plan = make_plan(market_admin, items, ratios={"general": None, "key": None})
    assert dict(plan.items.values_list("item__code", "ratio")) == {
        "A01": Decimal("0.03"),
        "K01": Decimal("0.3"),
    }


def test_cap_lowered_after_drafting_is_caught_at_submit(items, market_admin):
    plan = make_plan(market_admin, items, ratios={"general": Decimal("0.05")})
    items["general"].ratio_cap = Decimal("0.04")
    items["general"].default_ratio = Decimal("0.03")
    items["general"].save()
    with pytest.raises(DomainError, match="exceeds its cap"):
        services.plan_submit(actor=market_admin, plan=plan)


def test_batch_dates_are_checked(items, market_admin):
    with pytest.raises(DomainError, match="ends before it starts"):
        make_plan(market_admin, items, batches=[batch(1, (5, 1), (4, 1))])
    with pytest.raises(DomainError, match="outside the plan year"):
        make_plan(
            market_admin,
            items,
            batches=[
                {"number": 1, "name": "跨年", "start_date": date(2026, 12, 1), "end_date": date(2027, 1, 31)}
            ],
        )
    plan = make_plan(market_admin, items, batches=[{**batch(), "number": None}, {**batch(), "number": None}])
    assert list(plan.batches.values_list("number", flat=True)) == [1, 2]


def test_review_opinions_are_kept(items, market_admin, office):
    plan = make_plan(market_admin, items)
    services.plan_submit(actor=market_admin, plan=plan)
    with pytest.raises(DomainError, match="Say why"):
        services.plan_review(actor=office, plan=plan, decision=ReviewDecision.RETURNED, opinion="  ")
    services.plan_review(actor=office, plan=plan, decision=ReviewDecision.RETURNED, opinion="批次时间不明确")
    services.plan_submit(actor=market_admin, plan=plan)
    services.plan_review(
        actor=office, plan=plan, decision=ReviewDecision.RETURNED, opinion="请补充检查对象范围"
    )
    services.plan_submit(actor=market_admin, plan=plan)
    services.plan_review(actor=office, plan=plan, decision=ReviewDecision.APPROVED, opinion="")
    reviews = list(plan.reviews.order_by("reviewed_at", "pk"))
    assert [(r.decision, r.opinion) for r in reviews] == [
        ("returned", "批次时间不明确"),
        ("returned", "请补充检查对象范围"),
        ("approved", ""),
    ]
    first = reviews[0]
    first.opinion = "改写"
    with pytest.raises(RuntimeError):
        first.save()
    with pytest.raises(RuntimeError):
        first.delete()
    assert PlanReview.objects.get(pk=first.pk).opinion == "批次时间不明确"


def test_only_submitted_plans_are_reviewed_and_only_approved_ones_published(items, market_admin, office):
    plan = make_plan(market_admin, items)
    with pytest.raises(DomainError):
        services.plan_review(actor=office, plan=plan, decision=ReviewDecision.APPROVED)
    with pytest.raises(DomainError):
        services.plan_publish(actor=office, plan=plan)
    services.plan_submit(actor=market_admin, plan=plan)
    with pytest.raises(DomainError):
        services.plan_change(actor=market_admin, plan=plan, values={"title": "改"})


def test_adjustment_creates_version_2_and_version_1_stays_readable(items, market_admin, office):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    with pytest.raises(DomainError, match="Say why"):
        services.plan_adjust(actor=market_admin, plan=plan, reason=" ")

    plan = services.plan_adjust(
        actor=market_admin,
        plan=plan,
        reason="上级部署专项整治，提高比例并增加批次",
        items=[(items["general"], Decimal("0.05")), (items["key"], Decimal("0.5"))],
        batches=[batch(1), batch(2, (9, 1), (10, 31))],
        values={"year": 2030, "code": "X"},  # an adjustment keeps year and number
    )
    assert plan.version == 2 and plan.status == PlanStatus.DRAFT and plan.is_adjusting
    assert plan.year == YEAR and plan.code == f"{YEAR}-SCJG-01"
    adjusted = AuditEntry.objects.get(action="plans.plan.adjusted")
    assert adjusted.data["reason"].startswith("上级部署") and adjusted.changes["version"] == [1, 2]

    v1 = plan.versions.get(version=1)
    assert [(i["code"], i["ratio"]) for i in v1.content["items"]] == [("A01", "0.03")]
    # during the adjustment the district plan still shows version 1, published
    [entry] = district_plan(office, YEAR)
    assert entry.version.version == 1 and entry.published and entry.adjusting

    approve(plan, market_admin, office)
    assert plan.status == PlanStatus.APPROVED and plan.version == 2 and not plan.adjustment_reason
    v2 = plan.versions.get(version=2)
    assert v2.reason == "上级部署专项整治，提高比例并增加批次"
    assert [(i["code"], i["ratio"]) for i in v2.content["items"]] == [("A01", "0.05"), ("K01", "0.5")]
    assert len(v2.content["batches"]) == 2
    v1.refresh_from_db()
    assert [(i["code"], i["ratio"]) for i in v1.content["items"]] == [("A01", "0.03")]
    with pytest.raises(RuntimeError):
        v1.save()
    [entry] = district_plan(office, YEAR)
    assert entry.version.version == 2 and not entry.published and not entry.adjusting
    services.plan_publish(actor=office, plan=plan)
    plan.refresh_from_db()
    assert plan.published_version == 2
    assert list(PlanVersion.objects.filter(plan=plan).values_list("version", flat=True)) == [2, 1]


def test_adjusting_a_draft_is_refused(items, market_admin):
    plan = make_plan(market_admin, items)
    with pytest.raises(DomainError):
        services.plan_adjust(actor=market_admin, plan=plan, reason="调整")


def test_joint_plan_items_and_departments(departments, items, market_admin, fire_admin):
    plan = make_joint_plan(market_admin, items, departments)
    assert list(plan.participating_departments.all()) == [departments["fire"]]
    assert plan.items.count() == 2
    with pytest.raises(DomainError, match="does not take part"):
        make_plan(market_admin, items, ratios={"fire": Decimal("0.03")})
    with pytest.raises(DomainError, match="make it a joint plan"):
        services.plan_create(
            actor=market_admin,
            values={"year": YEAR, "title": "部门计划"},
            participating=[departments["fire"]],
            items=[(items["general"], None)],
        )
    with pytest.raises(DomainError, match="at least one participating department"):
        services.plan_create(
            actor=market_admin, values={"year": YEAR, "title": "联合", "kind": "joint"}, items=[]
        )


# --- permissions ---------------------------------------------------------------------------------
def test_only_the_lead_department_edits(items, market_admin, fire_admin, office, market_inspector):
    plan = make_plan(market_admin, items)
    for outsider in (fire_admin, office, market_inspector):
        with pytest.raises(PermissionDenied):
            services.plan_change(actor=outsider, plan=plan, values={"title": "改"})
        with pytest.raises(PermissionDenied):
            services.plan_submit(actor=outsider, plan=plan)
    with pytest.raises(PermissionDenied):
        make_plan(office, items)
    with pytest.raises(PermissionDenied):
        make_plan(market_inspector, items)
    with pytest.raises(PermissionDenied):
        make_plan(fire_admin, items, department=items["general"].department)


def test_only_the_office_reviews_and_publishes(items, market_admin, fire_admin, office):
    plan = make_plan(market_admin, items)
    services.plan_submit(actor=market_admin, plan=plan)
    for user in (market_admin, fire_admin):
        with pytest.raises(PermissionDenied):
            services.plan_review(actor=user, plan=plan, decision=ReviewDecision.APPROVED)
    services.plan_review(actor=office, plan=plan, decision=ReviewDecision.APPROVED)
    with pytest.raises(PermissionDenied):
        services.plan_publish(actor=market_admin, plan=plan)
    with pytest.raises(PermissionDenied):
        services.plan_adjust(actor=office, plan=plan, reason="办公室不调整部门计划")


def test_who_sees_which_plans(departments, items, market_admin, fire_admin, office, market_inspector):
    own = make_plan(market_admin, items)
    joint = make_joint_plan(market_admin, items, departments)
    fire_own = make_plan(fire_admin, items, ratios={"fire": Decimal("0.02")}, title="消防计划")
    assert set(plans_for(market_admin)) == {own, joint}
    assert set(plans_for(market_inspector)) == {own, joint}
    assert set(plans_for(fire_admin)) == {joint, fire_own}
    assert set(plans_for(office)) == {own, joint, fire_own}
    assert plans_for(fire_admin).count() == 2  # no duplicate rows through the join


def test_district_plan_merges_approved_plans(departments, items, market_admin, fire_admin, office):
    published = publish(make_plan(market_admin, items), market_admin, office)
    approved = approve(make_plan(fire_admin, items, ratios={"fire": Decimal("0.02")}), fire_admin, office)
    make_plan(market_admin, items, title="草稿计划")  # a draft is not part of the district plan
    make_plan(market_admin, items, title="明年", year=YEAR + 1, batches=[])
    assert [e.plan for e in district_plan(office, YEAR)] == [published, approved]
    # another department sees published plans of others, and its own approved ones
    assert [e.plan for e in district_plan(market_admin, YEAR)] == [published]
    assert [e.plan for e in district_plan(fire_admin, YEAR)] == [published, approved]
    assert district_plan(office, YEAR + 1) == []
