"""check --deploy fails while demo accounts keep their published password; seed_demo never fills a real
district; the demo admin logs in with the published two-step key."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from fairspot.accounts.models import Department, Role, User
from fairspot.hub.checks import check_demo_accounts
from fairspot.hub.management.commands.seed_demo import DEMO_PASSWORD


def test_deploy_check_reports_demo_accounts_with_the_demo_password(db):
    User.objects.create_user("admin", password=DEMO_PASSWORD, role=Role.SYSADMIN)
    User.objects.create_user("office", password="Changed-Pass-2026", role=Role.OFFICE)
    errors = check_demo_accounts()
    assert [e.id for e in errors] == ["fairspot.E101"] and "admin" in errors[0].msg
    assert "office" not in errors[0].msg
    with pytest.raises(SystemCheckError, match="admin"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_deploy_check_passes_once_demo_passwords_are_changed(db):
    admin = User.objects.create_user("admin", password=DEMO_PASSWORD, role=Role.SYSADMIN)
    admin.set_password("Changed-Pass-2026")
    admin.save()
    assert check_demo_accounts() == []


def test_seed_demo_refuses_a_database_with_real_users(db):
    User.objects.create_user("wanger", password="x", role=Role.SYSADMIN)
    for args in ([], ["--if-empty"]):
        with pytest.raises(CommandError, match="never a real district"):
            call_command("seed_demo", "--targets", "10", *args, verbosity=0)
    assert not Department.objects.exists() and User.objects.count() == 1


def test_seed_demo_refuses_a_database_with_real_departments(db):
    Department.objects.create(code="GA", name="公安分局")
    with pytest.raises(CommandError):
        call_command("seed_demo", "--if-empty", verbosity=0)
    assert not User.objects.exists()


def test_demo_totp_refuses_a_database_that_is_not_the_demo(db):
    with pytest.raises(CommandError):
        call_command("demo_totp")


def test_demo_admin_logs_in_with_the_published_key(db, tmp_path, settings, client, capsys):
    from django.test import override_settings
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--targets", "50", verbosity=0)
    call_command("seed_demo", "--targets", "50", "--if-empty", verbosity=0)  # a demo: nothing to do
    assert "admin" in check_demo_accounts()[0].msg

    capsys.readouterr()
    call_command("demo_totp")
    token = capsys.readouterr().out.strip()
    assert len(token) == 6 and token.isdigit()
    with override_settings(FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN=True):
        response = client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("admin:index"))["Location"].startswith(reverse("security:otp_verify"))
        client.post(reverse("security:otp_verify"), {"token": token})
        assert client.get(reverse("admin:index")).status_code == 200
