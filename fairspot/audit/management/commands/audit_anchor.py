"""Publish today's audit chain head on the portal (/public/audit-anchors/). Run daily from cron."""

from django.core.management.base import BaseCommand

from fairspot.audit.publishing import publish_head


class Command(BaseCommand):
    help = "Publish today's audit chain head (date, position, digest) on the public portal."

    def handle(self, *args, **options):
        anchor, new = publish_head()
        if anchor is None:
            self.stdout.write("The audit log is empty: nothing to publish.")
            return
        state = "published" if new else "already published today"
        self.stdout.write(f"{anchor.day} {anchor.entry_id} {anchor.digest} ({state})")
