"""三员分立: the audit administrator reads and verifies every department's audit log and changes nothing."""

import re

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fairspot.accounts.models import Role, User
from fairspot.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(departments):
    return User.objects.create_user("auditor", password="pw", role=Role.AUDITOR)


def _paths(resolver=None, prefix=""):
    """Every URL of the site with its path parameters filled in with 1."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
            path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
            path = path.replace("^", "").replace("$", "").replace("\\", "")
            if re.search(r"[()\[\]?*+]", path):
                continue
            yield "/" + path


def _row_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith(("django_session", "audit_auditentry")):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from introspection
            counts[table] = cursor.fetchone()[0]
        return counts


def test_auditor_reads_every_departments_audit_log_and_verifies(client, auditor, office, fire_admin):
    from django.db import transaction

    from fairspot.audit.services import record

    with transaction.atomic():
        record(office, "test.market", department_id=office.department_id, object_repr="market thing")
        record(fire_admin, "test.fire", department_id=fire_admin.department_id, object_repr="fire thing")
    client.force_login(auditor)
    page = client.get(reverse("audit:list")).content.decode()
    assert "market thing" in page and "fire thing" in page
    assert reverse("audit:verify") in page
    response = client.get(reverse("audit:verify"))
    assert response.status_code == 200 and "intact" in response.content.decode()
    assert not auditor.can_manage and not auditor.sees_all_departments


def test_department_admin_sees_only_their_department_and_cannot_verify(client, office, fire_admin):
    from django.db import transaction

    from fairspot.audit.services import record

    with transaction.atomic():
        record(office, "test.market", department_id=office.department_id, object_repr="market thing")
    client.force_login(fire_admin)
    assert "market thing" not in client.get(reverse("audit:list")).content.decode()
    assert client.get(reverse("audit:verify")).status_code == 403


def test_every_write_view_refuses_the_auditor(client, auditor, market_admin):
    client.force_login(auditor)
    paths = sorted(set(_paths()))
    assert len(paths) > 50
    before_rows, before_audit = _row_counts(), AuditEntry.objects.count()
    accepted = []
    for path in paths:
        if path.startswith(("/accounts/", "/admin/log", "/i18n/")):
            continue  # the auditor's own account (log in and out, own password, two-step login)
        response = client.post(path, {"name": "x", "code": "x", "confirm": "1"})
        status = response.status_code
        if status in {400, 403, 404, 405}:
            continue
        location = response.headers.get("Location", "")
        if status == 302 and ("login" in location or location.startswith("/accounts/")):
            continue  # sent to log in, or to the account pages first
        if status == 200 and client.get(path).status_code == 200:
            continue  # a page the auditor may read, which ignores the POST (nothing written: see below)
        accepted.append((path, status))
    assert _row_counts() == before_rows
    assert AuditEntry.objects.count() == before_audit
    assert accepted == [], accepted
