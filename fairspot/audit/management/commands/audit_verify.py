"""Verify the audit log: exit 0 when intact, else 1 naming the first bad entry or the missing tail."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fairspot.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit log's keyed hash chain and compare it with the anchor file, the daily "
        "published heads and any anchor copies given. Exit status 0 when intact, 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            action="append",
            type=Path,
            default=[],
            metavar="FILE",
            help="another copy of anchors kept elsewhere: lines of 'position digest [time]' (repeatable)",
        )

    def handle(self, *args, **options):
        for path in options["anchors"]:
            if not path.is_file():
                raise CommandError(f"anchor file {path} does not exist")
        report = verify_chain(options["anchors"])
        for problem in report.problems:
            self.stderr.write(f"warning: {problem}")
        if report.ok:
            legacy = f", {report.legacy} of them unkeyed (before the keyed chain)" if report.legacy else ""
            self.stdout.write(
                f"OK: {report.checked} entries intact{legacy}; {report.anchors_checked} anchors match."
            )
            return
        self.stderr.write(
            f"FAILED at entry {report.first_bad_id}: {report.reason} "
            f"({report.checked} entries before it are intact)"
        )
        raise SystemExit(1)
