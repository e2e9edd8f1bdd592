from django.core.management.base import BaseCommand

from fairspot.holidays.package import package_years
from fairspot.holidays.services import sync_from_package


class Command(BaseCommand):
    help = (
        "Re-seed the working-day calendar from the installed chinese-calendar package. "
        "Rows entered or changed by hand are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only report what would change")

    def handle(self, *args, **options):
        dry = options["dry_run"]
        years = package_years()
        report = sync_from_package(dry_run=dry)
        self.stdout.write(f"chinese-calendar covers {years[0]}–{years[-1]}.")
        for entry in report.created:
            self.stdout.write(f"  + {entry.date} {entry.kind} {entry.name}")
        for entry in report.changed:
            self.stdout.write(f"  ~ {entry.date} {entry.kind} {entry.name}")
        for when in report.deleted:
            self.stdout.write(f"  - {when}")
        for when in report.kept_manual:
            self.stdout.write(f"  = {when} kept (manual row)")
        prefix = "Would write" if dry else "Wrote"
        self.stdout.write(
            f"{prefix}: {len(report.created)} created, {len(report.changed)} changed, "
            f"{len(report.deleted)} deleted; {len(report.kept_manual)} manual rows kept; "
            f"years newly covered: {', '.join(map(str, report.years_added)) or 'none'}."
        )
