"""The annual plans on the public site: published versions only, with items, ratios, batches and dates."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from fairspot.plans import services
from fairspot.plans.models import PlanVersion
from fairspot.testing.plans import YEAR, approve, batch, item, make_joint_plan, make_plan, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(departments):
    return {
        "general": item(departments["market"], "A01", "general", "0.03", "0.05"),
        "key": item(departments["market"], "K01", "key", "0.3"),
        "fire": item(departments["fire"], "F01", "general", "0.03", "0.05"),
    }


def text(client, url) -> str:
    response = client.get(url)
    translation.activate("en")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_published_plans_make_the_public_annual_plan(
    client, departments, items, market_admin, fire_admin, office
):
    published = publish(make_plan(market_admin, items), market_admin, office)
    joint = publish(make_joint_plan(market_admin, items, departments), market_admin, office)
    approved = approve(make_plan(market_admin, items, title="只批准未公布的计划"), market_admin, office)
    make_plan(fire_admin, {"fire": items["fire"]}, title="消防草稿计划", ratios={"fire": Decimal("0.03")})

    html = text(client, reverse("portal:plans"))
    assert f"{YEAR}年度抽查计划" in html
    assert published.title in html and joint.title in html
    assert approved.title not in html and "消防草稿计划" not in html  # only what the office published
    assert "A01 事项A01 · 0.03" in html and f"{YEAR}-03-01 – {YEAR}-04-30" in html
    assert departments["market"].name in html
    assert "联合抽查计划" in html  # the joint plan says so

    page = text(client, reverse("portal:plan", args=[joint.code]))
    assert "事项F01" in page and departments["fire"].name in page and "(≤0.05)" in page
    assert client.get(reverse("portal:plan", args=[approved.code])).status_code == 404
    assert client.get(reverse("portal:plan", args=["NO-SUCH-PLAN"])).status_code == 404


def test_an_adjustment_shows_once_published(client, items, market_admin, office):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    plan = services.plan_adjust(
        actor=market_admin,
        plan=plan,
        reason="上级部署专项整治，提高比例",
        items=[(items["general"], Decimal("0.05"))],
        batches=[batch(1), batch(2, (9, 1), (10, 31))],
    )
    page = text(client, reverse("portal:plan", args=[plan.code]))
    assert "0.03" in page and "0.05</td>" not in page and "第2批" not in page  # the draft is not public
    approve(plan, market_admin, office)
    services.plan_publish(actor=office, plan=plan)
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    page = text(client, reverse("portal:plan", args=[plan.code]))
    assert "第2批" in page and "上级部署专项整治" in page  # the new version and why it changed


def test_the_cap_per_firm_is_published(client, settings, db):
    assert "每家企业每年最多检查" not in text(client, reverse("portal:plans"))
    settings.FAIRSPOT_FIRM_ANNUAL_CAP = 2
    assert "每家企业每年最多检查 2 次" in text(client, reverse("portal:plans"))


def test_years_choose_the_plans(client, items, market_admin, office):
    publish(make_plan(market_admin, items), market_admin, office)
    assert "市场监管部门年度抽查计划" not in text(client, reverse("portal:plans") + f"?year={YEAR + 1}")
    assert "市场监管部门年度抽查计划" in text(client, reverse("portal:plans") + f"?year={YEAR}")
