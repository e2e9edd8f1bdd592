"""``manage.py check --deploy``: no demo account with its published password or two-step key."""

from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError


def demo_usernames() -> set[str]:
    from fairspot.hub import demo

    names = {"admin", "office", "market", "convenor", "scjg-001", "scjg-002", "xfjy-001"}
    names |= {code.lower() for code, *_ in demo.DEPARTMENTS if code != "SCJG"}
    return names


def demo_accounts_with_known_password() -> list[str]:
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fairspot.hub.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_KEY

    users = get_user_model().objects.filter(username__in=demo_usernames(), is_active=True)
    found = {u.username for u in users if check_password(DEMO_PASSWORD, u.password)}
    found |= set(TOTPDevice.objects.filter(key=DEMO_TOTP_KEY).values_list("user__username", flat=True))
    return sorted(found)


@checks.register(checks.Tags.security, deploy=True)
def check_demo_accounts(app_configs=None, **kwargs):
    try:
        found = demo_accounts_with_known_password()
    except DatabaseError:
        return [
            checks.Warning("The user table could not be read: demo accounts not checked.", id="fairspot.W101")
        ]
    if not found:
        return []
    return [
        checks.Error(
            f"Demo accounts with the published demo password or two-step key exist: {', '.join(found)}.",
            hint="This is a demo database or the demo was loaded into production. Deploy on a new database, "
            "or deactivate these accounts / give them new passwords (manage.py changepassword USER).",
            id="fairspot.E101",
        )
    ]
