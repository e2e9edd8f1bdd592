"""Inspectors, experts and conflicts: department scope of the reads, where a conflict is filed, the dates
a conflict and a certificate are valid on."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.accounts.models import Role, User
from fairspot.directory.models import Target
from fairspot.inspectors import selectors, services
from fairspot.inspectors.models import Conflict, Expert, Inspector
from fairspot.testing.directory import uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(departments):
    market, fire = departments["market"], departments["fire"]
    return {
        "wang": Inspector.objects.create(
            department=market, staff_no="SCJG-001", name="王建国", certificate_no="豫A100"
        ),
        "li": Inspector.objects.create(
            department=market, staff_no="SCJG-002", name="李卫东", certificate_no="豫A200", status="left"
        ),
        "zhao": Inspector.objects.create(department=fire, staff_no="XFJY-001", name="赵建国"),
        "expert": Expert.objects.create(
            department=market, name="孙教授", organisation="新乡检测院", expertise="特种设备；食品"
        ),
        "fire_expert": Expert.objects.create(department=fire, name="周工", organisation="消防研究所"),
    }


@pytest.fixture
def auditor_user(departments):
    return User.objects.create_user("auditor", password="pw", role=Role.AUDITOR)


@pytest.fixture
def target(departments):
    return Target.objects.create(
        identifier=uscc(),
        name="新乡某某餐饮有限公司",
        entity_type="enterprise",
        industry_code="62",
        industry_section="H",
        department=departments["market"],
    )


def test_inspectors_for_scopes_to_the_department(people, market_admin, fire_admin, office, auditor_user):
    assert set(selectors.inspectors_for(market_admin)) == {people["wang"], people["li"]}
    assert set(selectors.inspectors_for(fire_admin)) == {people["zhao"]}
    assert set(selectors.inspectors_for(office)) == {people["wang"], people["li"], people["zhao"]}
    assert not selectors.inspectors_for(auditor_user).exists()


def test_inspectors_for_searches_name_staff_number_and_certificate(people, market_admin, office):
    assert set(selectors.inspectors_for(office, q="建国")) == {people["wang"], people["zhao"]}
    assert set(selectors.inspectors_for(market_admin, q="建国")) == {people["wang"]}  # scope still holds
    assert list(selectors.inspectors_for(office, q="XFJY")) == [people["zhao"]]
    assert list(selectors.inspectors_for(office, q="豫A2")) == [people["li"]]
    assert list(selectors.inspectors_for(office, q="001")) == []  # a prefix, not any part
    assert list(selectors.inspectors_for(market_admin, filters={"status": "left", "name": ""})) == [
        people["li"]
    ]


def test_experts_for_scopes_and_searches_expertise(people, market_admin, fire_admin):
    assert list(selectors.experts_for(market_admin)) == [people["expert"]]
    assert list(selectors.experts_for(fire_admin)) == [people["fire_expert"]]
    assert list(selectors.experts_for(market_admin, q="食品")) == [people["expert"]]
    assert list(selectors.experts_for(fire_admin, q="食品")) == []


def test_a_conflict_is_filed_under_the_person_s_department(people, target, office, fire_admin):
    declared = services.conflict_create(
        actor=office,
        values={
            "inspector": people["zhao"],
            "target": target,
            "kind": "relative",
            "valid_from": date(2026, 1, 1),
        },
    )
    assert declared.department == people["zhao"].department
    assert list(selectors.conflicts_for(fire_admin)) == [declared]


def test_staff_cannot_declare_a_conflict_for_another_department_s_person(people, target, fire_admin):
    with pytest.raises(PermissionDenied):
        services.conflict_create(
            actor=fire_admin,
            values={
                "expert": people["expert"],
                "target": target,
                "kind": "other",
                "valid_from": date(2026, 1, 1),
            },
        )
    assert not Conflict.objects.exists()


def test_conflicts_for_scopes_to_the_department(people, target, market_admin, fire_admin, office):
    mine = services.conflict_create(
        actor=market_admin,
        values={
            "expert": people["expert"],
            "target": target,
            "kind": "shareholding",
            "valid_from": date(2026, 1, 1),
        },
    )
    theirs = services.conflict_create(
        actor=fire_admin,
        values={
            "inspector": people["zhao"],
            "target": target,
            "kind": "relative",
            "valid_from": date(2026, 1, 1),
        },
    )
    assert list(selectors.conflicts_for(market_admin)) == [mine]
    assert list(selectors.conflicts_for(fire_admin)) == [theirs]
    assert set(selectors.conflicts_for(office)) == {mine, theirs}


def test_a_conflict_is_active_from_its_first_to_its_last_day(people, target, departments):
    bounded = Conflict(
        inspector=people["wang"],
        target=target,
        kind="former_employer",
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 3, 31),
        department=departments["market"],
    )
    assert not bounded.active_on(date(2026, 2, 28))
    assert bounded.active_on(date(2026, 3, 1)) and bounded.active_on(date(2026, 3, 31))
    assert not bounded.active_on(date(2026, 4, 1))
    open_ended = Conflict(
        inspector=people["wang"], target=target, kind="relative", valid_from=date(2026, 3, 1)
    )
    assert not open_ended.active_on(date(2026, 2, 28)) and open_ended.active_on(date(2099, 1, 1))
    assert bounded.person == people["wang"]


def test_a_certificate_is_valid_through_its_expiry_day_and_needs_a_number(departments):
    inspector = Inspector(
        department=departments["market"],
        staff_no="X",
        certificate_no="豫A1",
        certificate_expiry=date(2026, 6, 30),
    )
    assert inspector.certificate_valid_on(date(2026, 6, 30)) and not inspector.certificate_valid_on(
        date(2026, 7, 1)
    )
    inspector.certificate_no = ""
    assert not inspector.certificate_valid_on(date(2026, 1, 1))
    inspector.certificate_no, inspector.certificate_expiry = "豫A1", None
    assert not inspector.certificate_valid_on(date(2026, 1, 1))
