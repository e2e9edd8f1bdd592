"""Shared bodies of the import_* and export_* management commands."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fairspot.accounts.models import Department
from fairspot.core.registry import registry
from fairspot.lib.export import write_csv, write_xlsx


def _actor(username: str | None):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"No user {username!r}") from exc


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or GBK) or XLSX file")
        parser.add_argument(
            "--user", help="import as this user (their department and rights); default: system"
        )
        parser.add_argument("--department", help="department code for rows without one (system imports)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = _actor(options.get("user"))
        extra = {}
        if options.get("department"):
            dept = Department.objects.filter(code=options["department"]).first()
            if dept is None:
                raise CommandError(f"No department with code {options['department']!r}")
            extra["department_id"] = dept.pk
        importer = registry()[self.kind].importer(actor=actor, options=extra)
        report = importer.run(path, file_name=path.name, progress=self._progress)
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            for err in report.errors:
                where = f"row {err.row}" if err.row else "file"
                column = f", column {err.column}" if err.column else ""
                self.stderr.write(f"{path.name}: {where}{column}: {err.message}")
            if report.error_count > len(report.errors):
                self.stderr.write(f"... and {report.error_count - len(report.errors)} more errors")
            self.stderr.write(report.summary())
            sys.exit(1)
        self.stdout.write(report.summary())

    def _progress(self, rows: int, percent: int) -> None:
        if self.stdout.isatty() and rows % 100_000 < 2000:
            self.stdout.write(f"  {rows} rows, {percent}% of the file", ending="\r")


class ExportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("out", help="output file")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file name")
        parser.add_argument("--user", help="export what this user may see; default: everything")

    def handle(self, *args, **options):
        out = Path(options["out"])
        fmt = options.get("format") or out.suffix.lstrip(".").lower()
        if fmt not in {"csv", "xlsx"}:
            raise CommandError("Say --format csv or --format xlsx")
        spec = registry()[self.kind]
        actor = _actor(options.get("user"))
        qs = spec.queryset(actor) if actor else spec.queryset(_SystemUser())
        writer = write_csv if fmt == "csv" else write_xlsx
        count = writer(out, spec.header(), spec.rows(qs))
        self.stdout.write(f"{count} rows written to {out}")


class _SystemUser:
    """Stands for the command line run by the system administrator: sees every department."""

    is_authenticated = False
    sees_all_departments = True
    department_id = None
