"""``manage.py check --deploy``: Argon2, locks and TOTP on (the demo accounts are checked by the hub)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_account_protection(app_configs=None, **kwargs):
    problems = []
    if "Argon2" not in settings.PASSWORD_HASHERS[0]:
        problems.append(
            checks.Warning(
                "The first password hasher is not Argon2.",
                hint="Keep Argon2PasswordHasher first.",
                id="fairspot.W102",
            )
        )
    if not settings.AXES_ENABLED:
        problems.append(checks.Error("Login lockout (django-axes) is off.", id="fairspot.E102"))
    if not settings.FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN:
        problems.append(
            checks.Warning(
                "System administrators may log in without two-step verification.",
                hint="Set FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN=1.",
                id="fairspot.W103",
            )
        )
    return problems
