"""Departments by code, full or short name; who sees and changes which department's records."""

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.accounts.models import Department, Role, User
from fairspot.accounts.scoping import (
    department_for_write,
    require_department,
    require_manager,
    scope_to_department,
)
from fairspot.accounts.selectors import department_lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(departments):
    return User.objects.create_user("auditor", password="pw", role=Role.AUDITOR)


def test_department_lookup_by_code_full_name_and_short_name(departments):
    market, fire = departments["market"].pk, departments["fire"].pk
    lookup = department_lookup()
    assert lookup["SCJG"] == lookup["高新区市场监管工作小组"] == lookup["市场监管"] == market
    assert lookup["XFJY"] == lookup["高新区消防救援大队"] == lookup["消防"] == fire
    assert "市场监管局" not in lookup and "scjg" not in lookup  # exact keys only


def test_department_lookup_skips_an_empty_short_name(departments):
    tax = Department.objects.create(code="SWJ", name="高新区税务局")
    lookup = department_lookup()
    assert lookup["SWJ"] == lookup["高新区税务局"] == tax.pk
    assert "" not in lookup


def test_office_sees_every_department_and_staff_only_their_own(
    office, market_admin, fire_admin, market_inspector, auditor
):
    users = User.objects.all()
    assert set(scope_to_department(office, users)) == set(users)
    assert set(scope_to_department(market_admin, users)) == {office, market_admin, market_inspector}
    assert set(scope_to_department(fire_admin, users)) == {fire_admin}
    assert list(scope_to_department(auditor, users)) == []  # no department: nothing


def test_scope_follows_the_named_department_field(departments, market_admin):
    market, fire = departments["market"], departments["fire"]
    User.objects.create_user("a", password="pw", department=fire)
    visible = scope_to_department(market_admin, Department.objects.all(), field="users__department")
    assert list(visible.distinct()) == [market]


def test_only_managers_change_records(office, market_admin, market_inspector, auditor):
    require_manager(office)
    require_manager(market_admin)
    for user in (market_inspector, auditor):
        with pytest.raises(PermissionDenied):
            require_manager(user)


def test_department_staff_change_only_their_own_department(departments, office, market_admin):
    market, fire = departments["market"], departments["fire"]
    require_department(market_admin, market.pk)
    with pytest.raises(PermissionDenied):
        require_department(market_admin, fire.pk)
    with pytest.raises(PermissionDenied):
        require_department(market_admin, None)
    require_department(office, fire.pk)
    require_department(office, None)


def test_department_for_write_files_staff_records_under_their_own_department(departments, market_admin):
    market, fire = departments["market"], departments["fire"]
    assert department_for_write(market_admin) == market
    assert department_for_write(market_admin, market) == market
    with pytest.raises(PermissionDenied):
        department_for_write(market_admin, fire)


def test_department_for_write_lets_the_office_choose(departments, office):
    assert department_for_write(office, departments["fire"]) == departments["fire"]
    assert department_for_write(office) == office.department


def test_role_properties(office, market_admin, market_inspector, auditor):
    assert office.sees_all_departments and not market_admin.sees_all_departments
    assert office.can_manage and market_admin.can_manage and not market_inspector.can_manage
    assert auditor.reads_whole_audit_log and not auditor.sees_all_departments and not auditor.can_manage
    assert not market_admin.reads_whole_audit_log
    root = User.objects.create_superuser("root", password="pw")
    assert root.sees_all_departments and root.can_manage
