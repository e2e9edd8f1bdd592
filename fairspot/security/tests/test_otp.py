"""TOTP: required for system administrators (enrol first), optional for other staff, once per session."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairspot.accounts.models import Role, User
from fairspot.audit.models import AuditEntry

pytestmark = pytest.mark.usefixtures("otp_required")


@pytest.fixture
def otp_required():
    with override_settings(FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN=True):
        yield


@pytest.fixture
def sysadmin(db):
    return User.objects.create_user(
        "root", password="pw", role=Role.SYSADMIN, is_staff=True, is_superuser=True
    )


def code(device, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + offset:06d}"[-6:]


def confirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_sysadmin_without_a_device_cannot_reach_staff_pages_or_admin(client, sysadmin):
    client.force_login(sysadmin)
    for url in (reverse("hub:dashboard"), reverse("admin:index"), reverse("audit:list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("security:otp_setup"))


def test_sysadmin_enrols_with_a_first_code_then_gets_in(client, sysadmin):
    client.force_login(sysadmin)
    page = client.get(reverse("security:otp_setup"))
    assert page.status_code == 200 and b'<svg width="220" height="220"' in page.content
    assert b"<?xml" not in page.content and b"style=" not in page.content  # no inline style (CSP)
    device = TOTPDevice.objects.get(user=sysadmin, confirmed=False)
    assert page.context["secret"] in page.content.decode()

    wrong = client.post(reverse("security:otp_setup"), {"token": code(device, 1)})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("hub:dashboard")).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        reverse("security:otp_setup") + "?next=/admin/", {"token": code(device), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.get(user=sysadmin).confirmed
    assert client.get(reverse("hub:dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEntry.objects.filter(action="security.totp.enrolled", object_repr="root").exists()


def test_enrolled_sysadmin_must_enter_a_code_after_the_password(client, sysadmin):
    device = confirmed(sysadmin)
    client.force_login(sysadmin)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("security:otp_verify"))

    bad = client.post(reverse("security:otp_verify"), {"token": "12345x"})
    assert bad.status_code == 200 and bad.context["form"].errors
    bad = client.post(reverse("security:otp_verify"), {"token": code(device, 1)})
    assert bad.status_code == 200 and client.get(reverse("admin:index")).status_code == 302
    assert AuditEntry.objects.filter(action="security.totp.failed").exists()

    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(reverse("security:otp_verify"), {"token": code(device), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_code_is_not_accepted_twice(client, sysadmin):
    device = confirmed(sysadmin)
    client.force_login(sysadmin)
    client.post(reverse("security:otp_verify"), {"token": code(device)})
    client.logout()
    client.force_login(sysadmin)
    client.post(reverse("security:otp_verify"), {"token": code(device)})
    assert client.get(reverse("hub:dashboard")).status_code == 302


def test_verify_rejects_an_outside_next(client, sysadmin):
    device = confirmed(sysadmin)
    client.force_login(sysadmin)
    response = client.post(
        reverse("security:otp_verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("hub:dashboard")


def test_other_staff_may_go_without_a_second_factor(client, office):
    client.force_login(office)
    assert client.get(reverse("hub:dashboard")).status_code == 200
    page = client.get(reverse("security:otp_setup"))
    assert page.status_code == 200 and not page.context["required"]


def test_other_staff_who_enrolled_enter_the_code_too(client, office):
    device = confirmed(office)
    client.force_login(office)
    assert client.get(reverse("hub:dashboard"))["Location"].startswith(reverse("security:otp_verify"))
    client.post(reverse("security:otp_verify"), {"token": code(device)})
    assert client.get(reverse("hub:dashboard")).status_code == 200


def test_public_pages_and_logout_need_no_second_factor(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get("/public/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302


@override_settings(FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN=False)
def test_requirement_can_be_turned_off(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("hub:dashboard")).status_code == 200


def test_optional_second_factor_can_be_turned_off_after_a_code(client, office):
    device = confirmed(office)
    client.force_login(office)
    client.post(reverse("security:otp_remove"))  # not verified yet: sent to enter a code first
    assert TOTPDevice.objects.filter(user=office).exists()
    client.post(reverse("security:otp_verify"), {"token": code(device)})
    client.post(reverse("security:otp_remove"))
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert AuditEntry.objects.filter(action="security.totp.removed", object_repr="office").exists()


def test_sysadmin_cannot_turn_the_second_factor_off(client, sysadmin):
    device = confirmed(sysadmin)
    client.force_login(sysadmin)
    client.post(reverse("security:otp_verify"), {"token": code(device)})
    response = client.post(reverse("security:otp_remove"), follow=True)
    assert TOTPDevice.objects.filter(user=sysadmin).exists()
    assert "cannot be turned off" in response.content.decode()
