"""Bring the open-data read model up to date and regenerate the bulk downloads (daily, from cron)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from fairspot.opendata import bulk
from fairspot.opendata.refresh import rebuild, sync_from_audit


class Command(BaseCommand):
    help = "Refresh the published-results read model and write the bulk files under MEDIA_ROOT/opendata/."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Rebuild the whole read model")
        parser.add_argument("--no-files", action="store_true", help="Only refresh the read model")

    def handle(self, *args, full=False, no_files=False, **options):
        with transaction.atomic():
            report = rebuild() if full else sync_from_audit()
        self.stdout.write(f"read model: {report}")
        if no_files:
            return
        manifest = bulk.build()
        for entry in manifest["files"]:
            self.stdout.write(f"{entry['name']}: {entry['rows']} rows, {entry['size']} bytes")
