"""Words for the audit actions officers meet most (the list shows the code where no word is given)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.password_changed": _("Password changed"),
    "security.totp.enrolled": _("Two-step verification turned on"),
    "security.totp.verified": _("Two-step code accepted"),
    "security.totp.failed": _("Wrong two-step code"),
    "security.totp.removed": _("Two-step device removed"),
    "export.downloaded": _("File downloaded"),
    "audit.head.published": _("Audit chain head published"),
    "ops.backup.created": _("Backup made"),
    "ops.restore.done": _("Backup restored"),
    "draws.team.officer_replaced": _("Team officer replaced"),
    "inspections.visit.deadline_recomputed": _("Provisional deadline recomputed"),
    "holidays.year.declared": _("Year's holiday schedule confirmed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
