"""The periodic work of a Fairspot installation, queued for the worker (``manage.py db_worker``).

A timer (systemd, cron) runs ``manage.py enqueue_periodic daily`` once a day (e.g. 06:30) and
``manage.py enqueue_periodic nightly`` once a night and ``manage.py enqueue_periodic monthly`` on the
first of each month (credit-risk classes); the worker does the work, with its result or its
error kept in the task table (Django admin → Task results). See README, "Production".
"""

from fairspot.audit.tasks import publish_audit_anchor
from fairspot.core.export_jobs import purge_exports
from fairspot.council.tasks import remind_council
from fairspot.credit.tasks import recompute_classes
from fairspot.inspections.tasks import end_displays, remind_deadlines
from fairspot.opendata.tasks import build_opendata

SCHEDULES = {
    "daily": [remind_deadlines, end_displays, remind_council, publish_audit_anchor],
    "nightly": [build_opendata, purge_exports],
    "monthly": [recompute_classes],
}


def enqueue(schedule: str) -> list[str]:
    """Queue every task of ``schedule``; returns the ids of the queued results."""
    return [str(work.enqueue().id) for work in SCHEDULES[schedule]]
