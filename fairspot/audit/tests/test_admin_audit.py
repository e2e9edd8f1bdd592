"""Changes through Django admin are audited, and password hashes never reach the log."""

import pytest
from django.urls import reverse

from fairspot.accounts.models import Department, Role, User
from fairspot.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, departments):
    root = User.objects.create_superuser("root", "", "pw", role=Role.SYSADMIN)
    client.force_login(root)
    return client


def test_department_change_in_admin_is_audited(admin_client, departments):
    fire = departments["fire"]
    response = admin_client.post(
        reverse("admin:accounts_department_change", args=[fire.pk]),
        {
            "code": "XFJY",
            "name": "高新区消防救援大队（改）",
            "short_name": "消防",
            "sort_order": 5,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.department.changed")
    assert entry.changes["name"] == ["高新区消防救援大队", "高新区消防救援大队（改）"]
    assert entry.actor_name == "root"


def test_user_creation_in_admin_hides_the_password(admin_client, departments):
    admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "password1": "x-Strong-Pass-42",
            "password2": "x-Strong-Pass-42",
            "role": "inspector",
            "department": departments["market"].pk,
            "usable_password": "true",
        },
    )
    assert User.objects.filter(username="newbie").exists()
    entries = AuditEntry.objects.filter(action__startswith="admin.user.")
    assert entries.exists()
    for entry in entries:
        assert "pbkdf2" not in str(entry.changes) and "md5" not in str(entry.changes).lower()


def test_delete_in_admin_is_audited(admin_client):
    dept = Department.objects.create(code="TMP", name="临时部门")
    admin_client.post(reverse("admin:accounts_department_delete", args=[dept.pk]), {"post": "yes"})
    assert not Department.objects.filter(pk=dept.pk).exists()
    assert AuditEntry.objects.get(action="admin.department.deleted").object_repr == "临时部门"


def test_reference_correction_in_admin_reaches_the_lookups(admin_client, request):
    from fairspot.reference.models import Division
    from fairspot.reference.selectors import clear_caches, region_lookup

    request.addfinalizer(clear_caches)  # the rename is rolled back with the test; its cache must go too

    assert "振中街道" in region_lookup()
    town = Division.objects.get(code="410771560")
    admin_client.post(
        reverse("admin:reference_division_change", args=[town.pk]),
        {
            "code": town.code,
            "code12": town.code12,
            "name": "振中新街道",
            "level": town.level,
            "type": town.type,
            "parent": town.parent_id,
        },
    )
    assert Division.objects.get(code="410771560").name == "振中新街道"
    assert "振中新街道" in region_lookup() and "振中街道" not in region_lookup()
    assert AuditEntry.objects.get(action="admin.division.changed").changes["name"] == [
        "振中街道",
        "振中新街道",
    ]
