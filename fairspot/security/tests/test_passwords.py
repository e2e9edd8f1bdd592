"""Password rules: length, four kinds of character, none of the recent passwords, Argon2."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from fairspot.accounts.models import Role, User
from fairspot.security.models import PasswordHistory


@pytest.fixture
def zhangsan(db):
    return User.objects.create_user("zhangsan", password="First-Pass-01", role=Role.INSPECTOR)


@pytest.mark.parametrize("password", ["zhangsan2024", "gov12345"])
def test_weak_passwords_of_the_report_are_refused_with_a_chinese_reason(zhangsan, password):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password, zhangsan)
    text = " ".join(caught.value.messages)
    assert "小写字母、大写字母、数字、符号" in text


def test_too_short_is_refused_even_with_every_kind_of_character(zhangsan):
    with pytest.raises(ValidationError) as caught:
        validate_password("Ab1!xyz", zhangsan)
    assert [e.code for e in caught.value.error_list] == ["password_too_short"]


def test_a_strong_password_is_accepted(zhangsan):
    validate_password("Xq7#river-lamp", zhangsan)


def test_new_user_without_a_saved_record_is_checked_without_history():
    validate_password("Xq7#river-lamp", User(username="new"))


def test_the_current_and_the_last_five_passwords_are_refused(zhangsan, settings):
    passwords = ["Second-Pass-02", "Third-Pass-03", "Fourth-Pass-04", "Fifth-Pass-05", "Sixth-Pass-06"]
    for password in passwords:
        validate_password(password, zhangsan)
        zhangsan.set_password(password)
        zhangsan.save()
    assert PasswordHistory.objects.filter(user=zhangsan).count() == settings.FAIRSPOT_PASSWORD_HISTORY
    for reused in passwords:
        with pytest.raises(ValidationError) as caught:
            validate_password(reused, zhangsan)
        assert [e.code for e in caught.value.error_list] == ["password_reused"]
    # The first password has dropped out of the last five: it may be used again.
    validate_password("First-Pass-01", zhangsan)


def test_reuse_message_is_chinese(zhangsan):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password("First-Pass-01", zhangsan)
    assert "最近" in caught.value.messages[0]


def test_history_keeps_hashes_never_the_password(zhangsan):
    zhangsan.set_password("Second-Pass-02")
    zhangsan.save()
    stored = PasswordHistory.objects.get(user=zhangsan).password
    assert "Second-Pass-02" not in stored and stored == zhangsan.password


def test_production_hashes_with_argon2_first():
    import fairspot.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_and_checks(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    encoded = make_password("Xq7#river-lamp")
    assert encoded.startswith("argon2$") and check_password("Xq7#river-lamp", encoded)
    assert not check_password("Xq7#river-lamq", encoded)


def test_rules_apply_on_the_admin_password_page(client, zhangsan):
    from django.urls import reverse

    root = User.objects.create_superuser("root", "", "Root-Pass-2026", role=Role.SYSADMIN)
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[zhangsan.pk])
    for weak in ("gov12345", "zhangsan2024", "First-Pass-01"):
        response = client.post(url, {"password1": weak, "password2": weak, "usable_password": "true"})
        assert response.status_code == 200, weak
        zhangsan.refresh_from_db()
        assert zhangsan.check_password("First-Pass-01")
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"  # chosen in the menu
        response = client.post(url, {"password1": "gov12345", "password2": "gov12345"})
    assert "小写字母、大写字母、数字、符号" in response.content.decode()
    response = client.post(url, {"password1": "Xq7#river-lamp", "password2": "Xq7#river-lamp"})
    assert response.status_code == 302
    zhangsan.refresh_from_db()
    assert zhangsan.check_password("Xq7#river-lamp")
    assert PasswordHistory.objects.filter(user=zhangsan).count() == 1
