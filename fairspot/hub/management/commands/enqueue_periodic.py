"""Queue the periodic work (daily reminders and audit anchor, nightly open data) for the worker."""

from django.core.management.base import BaseCommand

from fairspot.hub.periodic import SCHEDULES, enqueue


class Command(BaseCommand):
    help = "Queue the periodic tasks of a schedule for manage.py db_worker (run from a timer)."

    def add_arguments(self, parser):
        parser.add_argument("schedule", choices=sorted(SCHEDULES))

    def handle(self, *args, schedule, **options):
        ids = enqueue(schedule)
        names = ", ".join(t.name for t in SCHEDULES[schedule])
        self.stdout.write(f"queued {len(ids)} task(s): {names}")
