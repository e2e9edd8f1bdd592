"""``manage.py restore IN``: check the backup's MANIFEST, then restore database, media and anchors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fairspot.ops.backup import restore_backup
from fairspot.ops.manifest import BackupError, check_manifest


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'backup'. Every file is checked against the MANIFEST first; a "
        "mismatch writes nothing. Stop the web server and workers before restoring."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path, metavar="IN", help="backup directory")
        parser.add_argument(
            "--database-url", help="restore into this database instead of the configured one (must exist)"
        )
        parser.add_argument("--var-dir", type=Path, help="put media and audit anchors under this directory")
        parser.add_argument("--check", action="store_true", help="only check the MANIFEST; restore nothing")

    def handle(self, *args, **options):
        src = options["src"]
        try:
            if options["check"]:
                files = len(check_manifest(src))
                self.stdout.write(f"{src}: all {files} files match the MANIFEST.")
                return
            result = restore_backup(src, options["database_url"], options["var_dir"])
        except BackupError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        self.stdout.write(
            f"Restored {result.files} checked files into the {result.vendor} database {result.database}."
        )
        for path in result.set_aside:
            self.stdout.write(f"The previous {Path(path).name.split('.before')[0]} is kept as {path}.")
        self.stdout.write("Now run: manage.py audit_verify")
