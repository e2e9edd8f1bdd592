"""Cases fixtures: a general item with a 5 % cap, targets, inspectors (one with a login) and a lead maker."""

from datetime import date
from decimal import Decimal

import pytest

from fairspot.accounts.models import Role, User
from fairspot.cases import services
from fairspot.directory.models import Target
from fairspot.inspectors.models import Inspector
from fairspot.items.models import CheckItem
from fairspot.testing.directory import uscc


@pytest.fixture
def food_item(departments):
    return CheckItem.objects.create(
        department=departments["market"],
        code="SP01",
        name="食品经营许可情况",
        category="食品安全",
        legal_basis="《中华人民共和国食品安全法》第一百一十条",
        item_type="general",
        default_ratio=Decimal("0.03"),
        ratio_cap=Decimal("0.05"),
        effective_from=date(2026, 1, 1),
    )


@pytest.fixture
def targets(departments):
    return [
        Target.objects.create(
            identifier=uscc(),
            name=f"餐饮店{n}",
            entity_type="enterprise",
            industry_code="62",
            industry_section="H",
            department=departments["market"],
        )
        for n in range(12)
    ]


@pytest.fixture
def inspectors(departments, market_inspector):
    people = [
        Inspector.objects.create(
            department=departments["market"],
            staff_no=f"SCJG-{n:03d}",
            name=f"检查员{n}",
            certificate_no=f"Z{n}",
            certificate_expiry=date(2030, 1, 1),
        )
        for n in range(3)
    ]
    people[0].user = market_inspector
    people[0].save()
    people.append(
        Inspector.objects.create(
            department=departments["fire"],
            staff_no="XFJY-001",
            name="消防员",
            certificate_no="F1",
            certificate_expiry=date(2030, 1, 1),
        )
    )
    return people


@pytest.fixture
def market_expert(departments):
    return User.objects.create_user(
        "expert", password="pw", role=Role.EXPERT, department=departments["market"]
    )


@pytest.fixture
def make_lead(market_admin, food_item):
    def make(actor=None, **overrides):
        values = {
            "kind": "complaint",
            "received_on": date(2026, 3, 2),
            "description": "顾客投诉后厨卫生差",
            "item": food_item,
            "complainant_name": "张三",
            "complainant_phone": "13812341234",
        }
        values.update(overrides)
        if "target" not in values and "party_name" not in values:
            values["party_name"] = "无名小吃摊"
        return services.lead_intake(actor=actor or market_admin, values=values)

    return make
