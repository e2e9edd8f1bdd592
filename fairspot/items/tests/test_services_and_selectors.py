"""Check-item services and reads: versions kept, ratio rules, filing department, scope, look-up by code."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.items import selectors, services
from fairspot.items.models import CheckItem, CheckItemVersion

pytestmark = pytest.mark.django_db


def values(**kw):
    out = {
        "code": "A01",
        "name": "企业公示信息检查",
        "item_type": "general",
        "default_ratio": Decimal("0.03"),
        "ratio_cap": Decimal("0.05"),
        "effective_from": date(2026, 1, 1),
    }
    out.update(kw)
    return out


def test_every_version_keeps_the_content_it_had(market_admin):
    item = services.item_create(actor=market_admin, values=values(), reason="首次公布")
    services.item_change(
        actor=market_admin,
        item=item,
        values={"name": "公示信息"},
        reason="更名",
        effective_from=date(2026, 3, 1),
    )
    item = services.item_change(
        actor=market_admin,
        item=item,
        values={"ratio_cap": Decimal("0.1"), "default_ratio": Decimal("0.08")},
        reason="调整比例",
        effective_from=date(2026, 7, 1),
    )
    assert item.version == 3 and item.effective_from == date(2026, 7, 1)
    versions = list(CheckItemVersion.objects.filter(item=item).order_by("version"))
    assert [(v.version, v.reason, v.effective_from) for v in versions] == [
        (1, "首次公布", date(2026, 1, 1)),
        (2, "更名", date(2026, 3, 1)),
        (3, "调整比例", date(2026, 7, 1)),
    ]
    assert [v.content["name"] for v in versions] == ["企业公示信息检查", "公示信息", "公示信息"]
    assert [v.content["ratio_cap"] for v in versions] == ["0.0500", "0.0500", "0.1000"]
    assert all(v.created_by == market_admin for v in versions)


def test_a_change_that_changes_nothing_makes_no_version(market_admin):
    item = services.item_create(actor=market_admin, values=values())
    same = services.item_change(
        actor=market_admin,
        item=item,
        values={"name": item.name},
        reason="核对",
        effective_from=date(2026, 1, 1),
    )
    assert same.version == 1 and item.versions.count() == 1
    assert not AuditEntry.objects.filter(action="items.item.changed").exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"ratio_cap": None}, "ratio_cap"),  # a general item needs a cap
        ({"item_type": "key", "ratio_cap": Decimal("0.5")}, "ratio_cap"),  # a key item has none
        ({"default_ratio": Decimal("0.06")}, "default_ratio"),  # above the cap
    ],
)
def test_ratio_rules_refuse_a_new_item(market_admin, overrides, field):
    with pytest.raises(DomainError) as refused:
        services.item_create(actor=market_admin, values=values(**overrides))
    assert refused.value.field == field
    assert not CheckItem.objects.exists() and not CheckItemVersion.objects.exists()


def test_a_key_item_needs_no_cap(market_admin):
    item = services.item_create(
        actor=market_admin, values=values(item_type="key", default_ratio=Decimal("0.3"), ratio_cap=None)
    )
    assert item.ratio_cap is None and item.versions.get().content["ratio_cap"] is None


def test_lowering_the_cap_below_the_ratio_is_refused_and_nothing_changes(market_admin):
    item = services.item_create(actor=market_admin, values=values())
    with pytest.raises(DomainError) as refused:
        services.item_change(
            actor=market_admin,
            item=item,
            values={"ratio_cap": Decimal("0.02")},
            reason="收紧",
            effective_from=date(2026, 7, 1),
        )
    assert refused.value.field == "default_ratio"
    item.refresh_from_db()
    assert (item.version, item.ratio_cap, item.versions.count()) == (1, Decimal("0.05"), 1)


def test_staff_file_items_under_their_own_department_only(departments, market_admin, fire_admin, office):
    assert services.item_create(actor=fire_admin, values=values()).department == departments["fire"]
    with pytest.raises(PermissionDenied):
        services.item_create(actor=fire_admin, values=values(code="B01", department=departments["market"]))
    filed = services.item_create(actor=office, values=values(code="B01", department=departments["fire"]))
    assert filed.department == departments["fire"]


def test_the_department_never_changes_with_an_item_change(departments, market_admin):
    item = services.item_create(actor=market_admin, values=values())
    changed = services.item_change(
        actor=market_admin,
        item=item,
        values={"department": departments["fire"], "name": "新名称"},
        reason="更名",
        effective_from=date(2026, 2, 1),
    )
    changed.refresh_from_db()
    assert changed.department == departments["market"] and changed.name == "新名称"


def test_items_for_scopes_to_the_department_and_searches(departments, market_admin, fire_admin, office):
    market = services.item_create(actor=market_admin, values=values())
    key = services.item_create(
        actor=market_admin,
        values=values(
            code="K01", name="特种设备", item_type="key", default_ratio=Decimal("0.3"), ratio_cap=None
        ),
    )
    fire = services.item_create(actor=fire_admin, values=values(name="消防安全检查"))
    assert set(selectors.items_for(market_admin)) == {market, key}
    assert set(selectors.items_for(fire_admin)) == {fire}
    assert set(selectors.items_for(office)) == {market, key, fire}
    assert list(selectors.items_for(office, q="K0")) == [key]  # code prefix
    assert list(selectors.items_for(office, q="消防")) == [fire]  # name
    assert list(selectors.items_for(market_admin, filters={"item_type": "key", "code": ""})) == [key]


def test_item_lookup_by_department_and_code_and_by_unambiguous_code(market_admin, fire_admin):
    a01 = services.item_create(actor=market_admin, values=values())
    k01 = services.item_create(
        actor=market_admin,
        values=values(code="K01", item_type="key", default_ratio=Decimal("0.3"), ratio_cap=None),
    )
    fire_a01 = services.item_create(actor=fire_admin, values=values())
    lookup = selectors.item_lookup()
    assert lookup["SCJG/A01"] == a01.pk and lookup["XFJY/A01"] == fire_a01.pk
    assert lookup["A01"] is None  # two departments use A01: give the department
    assert lookup["K01"] == lookup["SCJG/K01"] == k01.pk
