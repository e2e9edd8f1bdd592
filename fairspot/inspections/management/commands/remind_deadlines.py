"""Remind the people responsible of results due within N working days or overdue (run daily)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from fairspot.inspections.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Write in-app reminders (and e-mail them) for unpublished results due soon or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=5, help="working days ahead (default 5)")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default today)"
        )

    def handle(self, *args, within, today, **options):
        written, mailed, failed = send_reminders(today=today or timezone.localdate(), within=within)
        self.stdout.write(f"{written} reminder(s) written, {mailed} e-mail(s) sent")
        if failed:
            # the reminders stay not e-mailed: the next run of the day sends them again
            self.stderr.write(f"{failed} e-mail(s) failed; run again to retry them")
