"""Enter the joint meeting's founding composition from a CSV or XLSX file (see council.composition_file)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fairspot.accounts.models import User
from fairspot.core.errors import DomainError
from fairspot.council.composition_file import read_composition
from fairspot.council.services import composition_establish


class Command(BaseCommand):
    help = "Enter the joint meeting's composition (posts and member units) from a CSV or XLSX file, once."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--by", required=True, help="user name of the office account that enters it")
        parser.add_argument(
            "--since", type=date.fromisoformat, default=date.today(), help="date of the notice"
        )

    def handle(self, *args, **options):
        actor = User.objects.filter(username=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['by']}")
        try:
            posts, members = read_composition(options["file"])
            composition_establish(actor=actor, since=options["since"], posts=posts, members=members)
        except DomainError as exc:
            raise CommandError(f"{exc.message} Nothing was written.") from exc
        self.stdout.write(self.style.SUCCESS(f"{len(posts)} posts and {len(members)} units entered."))
