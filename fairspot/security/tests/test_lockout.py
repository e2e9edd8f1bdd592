"""Wrong passwords lock a user name and an address (django-axes), even against the right password."""

import pytest
from django.urls import reverse
from django.utils import translation

from fairspot.accounts.models import Role, User

RIGHT = "Right-Pass-2026"


@pytest.fixture
def officer(db):
    return User.objects.create_user("zhangsan", password=RIGHT, role=Role.OFFICE)


def attempt(client, username, password, addr="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr, **extra
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_31st_try_is_refused_even_when_right(client, officer):
    for i in range(30):
        attempt(client, "zhangsan", f"wrong-{i}")
    response = attempt(client, "zhangsan", RIGHT)
    assert response.status_code == 429 and not logged_in(client)


def test_locked_after_the_limit_for_the_user_name_from_any_address(client, officer, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "zhangsan", f"wrong-{i}", addr=f"10.0.1.{i}")
    response = attempt(client, "zhangsan", RIGHT, addr="10.9.9.9")
    assert response.status_code == 429 and not logged_in(client)


def test_below_the_limit_the_right_password_still_works(client, officer, settings):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "zhangsan", f"wrong-{i}")
    response = attempt(client, "zhangsan", RIGHT)
    assert response.status_code == 302 and logged_in(client)


def test_one_address_is_locked_across_user_names(client, officer, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{i}", "gov12345", addr="10.0.0.66")
    response = attempt(client, "zhangsan", RIGHT, addr="10.0.0.66")
    assert response.status_code == 429 and not logged_in(client)
    # The same officer from another computer is not affected by that address's failures.
    response = attempt(client, "zhangsan", RIGHT, addr="10.0.0.7")
    assert response.status_code == 302 and logged_in(client)


def test_forwarded_for_header_does_not_dodge_the_address_lock(client, officer, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{i}", "x", addr="10.0.0.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = attempt(client, "zhangsan", RIGHT, addr="10.0.0.66", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_lockout_page_says_in_chinese_what_happened_and_what_to_do(client, officer, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "zhangsan", f"wrong-{i}")
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"  # chosen in the menu
        response = attempt(client, "zhangsan", RIGHT)
    text = response.content.decode()
    assert response.status_code == 429
    assert "登录已锁定" in text and "30 分钟" in text and "axes_reset_username" in text


def test_unlock_command_lets_the_officer_in(client, officer, settings):
    from django.core.management import call_command

    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "zhangsan", f"wrong-{i}", addr=f"10.0.2.{i}")
    assert attempt(client, "zhangsan", RIGHT, addr="10.0.3.1").status_code == 429
    call_command("axes_reset_username", "zhangsan", verbosity=0)
    assert attempt(client, "zhangsan", RIGHT, addr="10.0.3.1").status_code == 302
