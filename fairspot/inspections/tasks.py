"""Background work of the inspections app, run by ``manage.py db_worker`` (see hub.periodic)."""

from django.utils import timezone
from django_tasks import task

from fairspot.inspections.services import end_expired_displays, send_reminders


@task()
def remind_deadlines(within: int = 5) -> dict[str, int]:
    """Daily: in-app reminders (and e-mails) for results due within ``within`` working days or overdue.
    Reminders whose e-mail failed stay unsent and are sent again by the next run."""
    written, mailed, failed = send_reminders(today=timezone.localdate(), within=within)
    return {"written": written, "mailed": mailed, "failed": failed}


@task()
def end_displays() -> dict[str, int]:
    """Daily: end the public display of negative results whose display period ran out (the record stays)."""
    return {"ended": end_expired_displays(today=timezone.localdate())}
