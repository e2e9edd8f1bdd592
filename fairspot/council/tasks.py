"""Background work of the joint meeting, run by ``manage.py db_worker`` (queued daily by hub.periodic)."""

from django.utils import timezone
from django_tasks import task

from fairspot.council.services import send_reminders


@task()
def remind_council(within: int = 5) -> dict[str, int]:
    """Daily: reminders of progress reports and ledger items due within ``within`` working days or late."""
    return send_reminders(today=timezone.localdate(), within=within)
