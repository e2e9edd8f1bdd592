"""``manage.py db_worker``: django-tasks-db's worker, which first marks failed the imports of dead workers.

This command takes the place of django_tasks_db's own (fairspot.core comes first in INSTALLED_APPS) and
takes the same options; see ``manage.py db_worker --help`` and docs/imports.md.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from fairspot.core.jobs import reap_stale_jobs


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (web imports): first mark failed the imports whose worker died, "
        "then run queued tasks."
    )

    def handle(self, *args, **options):
        reaped = reap_stale_jobs()
        if reaped:
            self.stderr.write(f"{reaped} interrupted import(s) marked failed (nothing of them was written)")
        return super().handle(*args, **options)
