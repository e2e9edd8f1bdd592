"""Background work of the open data, run by ``manage.py db_worker`` (see hub.periodic)."""

from django.db import transaction
from django_tasks import task

from fairspot.opendata import bulk
from fairspot.opendata.refresh import sync_from_audit


@task()
def build_opendata() -> dict:
    """Nightly: bring the published-results read model up to date and write the bulk downloads."""
    with transaction.atomic():
        report = sync_from_audit()
    manifest = bulk.build()
    return {"read_model": str(report), "files": [entry["name"] for entry in manifest["files"]]}
