"""Logins, failed logins, logouts, password changes and downloads leave audit entries (no secrets)."""

import json

import pytest
from django.urls import reverse

from fairspot.audit.models import AuditEntry
from fairspot.audit.selectors import verify_chain

pytestmark = pytest.mark.django_db


def _last(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


def test_login_and_logout_are_audited(client, office):
    response = client.post(reverse("login"), {"username": "office", "password": "pw"})
    assert response.status_code == 302
    entry = _last("auth.login")
    assert entry.actor == office and entry.department_id == office.department_id
    assert entry.data["ip"] == "127.0.0.1"
    client.post(reverse("logout"))
    assert _last("auth.logout").actor == office
    assert verify_chain().ok


def test_failed_login_is_audited_without_the_password(client, office):
    client.post(reverse("login"), {"username": "office", "password": "wrong-secret"})
    entry = _last("auth.login_failed")
    assert entry.actor is None and entry.data["username"] == "office"
    assert "wrong-secret" not in json.dumps([entry.data, entry.changes, entry.object_repr])
    assert _last("auth.login") is None


def test_password_change_is_audited_without_the_password(office):
    office.set_password("new-secret-123")
    office.save()
    entry = _last("auth.password_changed")
    assert entry.object_id == str(office.pk)
    assert "new-secret" not in json.dumps([entry.data, entry.changes])
    office.first_name = "x"
    office.save()
    assert AuditEntry.objects.filter(action="auth.password_changed").count() == 1


def test_password_reset_in_the_admin_is_audited(admin_client, office):
    response = admin_client.post(
        f"/admin/accounts/user/{office.pk}/password/",
        {"password1": "A-long-new-pass-42", "password2": "A-long-new-pass-42", "usable_password": "true"},
    )
    assert response.status_code == 302
    entry = _last("auth.password_changed")
    assert entry.object_id == str(office.pk) and entry.object_repr == "office"
    assert "A-long" not in json.dumps([entry.data, entry.changes])


def test_exports_are_audited(client, office):
    client.force_login(office)
    response = client.get(reverse("audit:list"), {"export": "csv"})
    assert response.status_code == 200
    entry = _last("export.downloaded")
    assert entry.actor == office
    assert entry.object_repr.startswith("audit-log-") and entry.object_repr.endswith(".csv")
    assert entry.data == {"path": reverse("audit:list"), "query": "export=csv"}


def test_pages_that_are_not_downloads_are_not_audited(client, office):
    client.force_login(office)
    client.get(reverse("audit:list"))
    assert _last("export.downloaded") is None


def test_audit_list_shows_words_for_actions(client, office):
    client.post(reverse("login"), {"username": "office", "password": "pw"})
    response = client.get(reverse("audit:list"))
    assert "Logged in" in response.content.decode()
