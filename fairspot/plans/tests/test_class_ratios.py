"""Ratios per credit-risk class on a plan item: set on the draft, carried to the batch's task."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.core.errors import DomainError
from fairspot.directory.models import Target
from fairspot.plans import services
from fairspot.plans.class_ratios import plan_item_class_ratios
from fairspot.testing.directory import uscc
from fairspot.testing.plans import make_plan, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(departments):
    """20 targets: 18 of class B, 2 of class D."""
    for n in range(20):
        Target.objects.create(
            identifier=uscc(),
            name=f"企业{n}",
            entity_type="enterprise",
            department=departments["market"],
            risk_class="D" if n < 2 else "B",
        )


def test_plan_item_class_ratios_reach_the_batch_task(items, targets, market_admin, office, fire_admin):
    plan = make_plan(market_admin, items, ratios={"general": Decimal("0.03"), "key": Decimal("0.3")})
    general = plan.items.get(item=items["general"])
    with pytest.raises(PermissionDenied):
        plan_item_class_ratios(actor=fire_admin, plan_item=general, text="D:30%")
    # cap of the general item 5 %: B 2 % and D 30 % over 18 B and 2 D is 4.8 %
    plan_item_class_ratios(actor=market_admin, plan_item=general, text="B:2%, D:30%")
    general.refresh_from_db()
    assert general.class_ratios == "B:0.02,D:0.3"
    with pytest.raises(DomainError, match="above the cap of 5%"):
        plan_item_class_ratios(actor=market_admin, plan_item=general, text="B:5%, D:30%")
    plan = publish(plan, market_admin, office)
    tasks = services.batch_create_tasks(actor=market_admin, batch=plan.batches.get())
    by_ratio = {t.ratio: t for t in tasks}
    assert by_ratio[Decimal("0.03")].class_ratios == "B:0.02,D:0.3"
    assert by_ratio[Decimal("0.3")].class_ratios == ""
    assert "B 2% D 30%" in by_ratio[Decimal("0.03")].title


def test_only_a_draft_takes_class_ratios(items, targets, market_admin, office):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    with pytest.raises(DomainError, match="cannot be done"):
        plan_item_class_ratios(actor=market_admin, plan_item=plan.items.get(), text="D:10%")


def test_the_page_form_saves_and_refuses_with_a_message(client, items, targets, market_admin):
    plan = make_plan(market_admin, items)
    client.force_login(market_admin)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'name="class_ratios"' in page
    pk = plan.items.get().pk
    response = client.post(f"/plans/items/{pk}/class-ratios/", {"class_ratios": "E:1%"}, follow=True)
    assert "write a class A–D" in response.content.decode()
    client.post(f"/plans/items/{pk}/class-ratios/", {"class_ratios": "D:10%"})
    assert plan.items.get().class_ratios == "D:0.1"
