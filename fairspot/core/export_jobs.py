"""Long exports in the background: a list of more than ``FAIRSPOT_EXPORT_INLINE_ROWS`` rows is written
by the worker (``manage.py db_worker``) to a file under ``var/exports/``, with its progress on a page;
its owner downloads it there (the download is audited like every file). A request never spends minutes
writing a spreadsheet, so no web worker times out on a province's directory.

The worker re-runs the list's own query for the user who asked (the same search, filters and
department scope as the page), so the file holds exactly what an inline export would. Files are kept
``FAIRSPOT_EXPORT_KEEP_DAYS`` days (``purge_exports``, nightly).
"""

from __future__ import annotations

import logging
import os
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from fairspot.core.models import ExportJob, ExportStatus
from fairspot.core.registry import registry
from fairspot.lib.export import write_csv, write_xlsx

logger = logging.getLogger(__name__)
BEAT_ROWS = 2_000


def export_queue(*, actor, kind: str, fmt: str, q: str, filters: dict[str, str], total: int) -> ExportJob:
    """Record the export and queue it for the worker once this transaction commits (inline in tests)."""
    job = ExportJob.objects.create(
        kind=kind, fmt=fmt, query={"q": q, "filters": filters}, total=total, created_by=actor
    )
    if settings.FAIRSPOT_JOBS_INLINE:
        export_run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(partial(run_export.enqueue, str(job.pk)))
    return job


@task()
def run_export(job_id: str) -> str:
    return export_run(job_id).status


class _Counted:
    """The rows, counted as they are written; the job's row is updated every ``BEAT_ROWS``."""

    def __init__(self, job: ExportJob, rows):
        self.job, self.rows = job, rows

    def __iter__(self):
        for n, row in enumerate(self.rows, start=1):
            if n % BEAT_ROWS == 0:
                ExportJob.objects.filter(pk=self.job.pk).update(written=n, heartbeat_at=timezone.now())
            self.job.written = n
            yield row


def export_run(job_id) -> ExportJob:
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now()
    ):
        logger.warning("export job %s is %s, not queued: not run", job.pk, job.status)
        return job
    job.status = ExportStatus.RUNNING
    spec = registry()[job.kind]
    directory = Path(settings.FAIRSPOT_EXPORT_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{job.pk}.{job.fmt}"
    try:
        qs = spec.queryset(job.created_by, q=job.query.get("q", ""), filters=job.query.get("filters", {}))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            (write_csv if job.fmt == "csv" else write_xlsx)(
                handle, spec.header(), _Counted(job, spec.rows(qs))
            )
        job.status, job.stored_path = ExportStatus.DONE, str(path)
        job.file_name = f"{job.kind}-{date.today():%Y%m%d}.{job.fmt}"
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        path.unlink(missing_ok=True)
        job.status, job.error = ExportStatus.FAILED, repr(exc)[:2000]
    job.finished_at = job.heartbeat_at = timezone.now()
    job.save()
    return job


def reap_stale_exports(jobs) -> None:
    """A running export whose worker has been silent ``FAIRSPOT_JOB_STALE_SECONDS`` died: mark it failed."""
    cutoff = timezone.now() - timedelta(seconds=settings.FAIRSPOT_JOB_STALE_SECONDS)
    jobs.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=cutoff).update(
        status=ExportStatus.FAILED, error="interrupted", finished_at=timezone.now()
    )


@task()
def purge_exports() -> int:
    """Delete export files (and their jobs) older than ``FAIRSPOT_EXPORT_KEEP_DAYS``; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.FAIRSPOT_EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    for job in old:
        if job.stored_path:
            Path(job.stored_path).unlink(missing_ok=True)
    return old.delete()[0]
