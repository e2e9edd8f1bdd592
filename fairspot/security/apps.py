from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Login throttling, password rules and history, idle sessions, TOTP, deployment checks."""

    name = "fairspot.security"
    label = "security"
    verbose_name = _("Account security")

    def ready(self) -> None:
        from fairspot.security import checks, signals  # noqa: F401 - registers checks and receivers

        signals.connect()
