"""Verify the audit log: exit 0 when intact, else 1 naming the first bad entry or the missing tail."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                raise CommandError(_("The anchor file %(path)s does not exist.") % {"path": path})
        report = verify_chain(options["anchors"])
        for problem in report.problems:
            self.stderr.write(_("Warning: %(problem)s") % {"problem": problem})
        if report.ok:
            self.stdout.write(
                _(
                    "OK: %(n)s entries intact (%(legacy)s of them before the keyed chain); "
                    "%(a)s anchors match."
                )
                % {"n": report.checked, "legacy": report.legacy, "a": report.anchors_checked}
            )
            return
        self.stderr.write(
            _("FAILED at entry %(id)s: %(reason)s (%(n)s entries before it are intact)")
            % {"id": report.first_bad_id, "reason": report.reason, "n": report.checked}
        )
        raise SystemExit(1)
