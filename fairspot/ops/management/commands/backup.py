"""``manage.py backup OUT``: database snapshot, media and audit anchors, with a SHA-256 MANIFEST."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fairspot.ops.backup import make_backup
from fairspot.ops.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump -Fc), var/media and the audit anchors "
        "into the directory OUT (new or empty), with a MANIFEST of SHA-256s. The audit key is not "
        "included: keep var/audit_key apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="directory to create")

    def handle(self, *args, **options):
        try:
            meta = make_backup(options["out"].resolve())
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        head = meta.get("audit_head") or ["-", "-"]
        self.stdout.write(
            f"Backup of the {meta['vendor']} database written to {options['out']}: {meta['files']} files; "
            f"audit chain head {head[0]} {head[1]}"
        )
