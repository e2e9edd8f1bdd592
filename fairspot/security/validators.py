"""Password rules (等保 level 3): several kinds of character, and none of the last N passwords again.

Both are listed in ``AUTH_PASSWORD_VALIDATORS``, so every form that sets a password through Django's
validation (the change-password page, Django admin) applies them.
"""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fairspot.security.models import PasswordHistory

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
)


def character_classes(password: str) -> int:
    """How many of lower-case letters, capital letters, digits and other characters the password has."""
    found = {name for ch in password for name, test in CLASSES if test(ch)}
    if any(not ch.isalnum() for ch in password):
        found.add("symbol")
    return len(found)


class CharacterClassesValidator:
    """At least ``min_classes`` of the four kinds: lower-case, capitals, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = character_classes(password)
        if found < self.min_classes:
            raise ValidationError(
                _(
                    "This password has only %(found)d kind(s) of character; use at least %(min)d of "
                    "these four: lower-case letters, capital letters, digits, symbols."
                ),
                code="password_too_simple",
                params={"found": found, "min": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(min)d of these four: lower-case letters, capital letters, digits, symbols."
        ) % {"min": self.min_classes}


class PasswordHistoryValidator:
    """Refuses the current password and the ``count`` passwords before it; records each new one."""

    def __init__(self, count: int = 5):
        self.count = count

    def _recent_hashes(self, user) -> list[str]:
        hashes = [user.password] if user.password else []
        hashes += list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        )
        return hashes

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                ngettext(
                    "This password was used recently: choose one that differs from your last password.",
                    "This password was used recently: choose one that differs from your last "
                    "%(count)d passwords.",
                    self.count,
                ),
                code="password_reused",
                params={"count": self.count},
            )

    def password_changed(self, password: str, user=None) -> None:
        """Called by ``User.save()`` after ``set_password``: keep the new hash, drop the oldest."""
        if user is None or user.pk is None or self.count <= 0 or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return ngettext(
            "It must differ from your last password.",
            "It must differ from your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}
