"""Running import jobs: store the upload, queue its import for the worker, publish progress.

A web upload is imported by the background worker (``manage.py db_worker``, django-tasks' database
queue), not by the web process. The import is one transaction, so a worker that dies mid-way writes
nothing; the job it leaves "running" is then found by its stale heartbeat and marked failed
(``reap_stale_jobs``) when a worker starts, before each job, and when the job's pages are viewed.
"""

import hashlib
import logging
import os
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task

from fairspot.core.models import ImportJob, JobStatus
from fairspot.core.registry import registry

logger = logging.getLogger(__name__)

INTERRUPTED = gettext_lazy(
    "The import was interrupted (the process running it stopped); nothing was written. Upload the file again."
)


def progress_key(job_id) -> str:
    return f"import-progress:{job_id}"


def job_create(*, actor, kind: str, upload) -> ImportJob:
    """Save an uploaded file under var/imports and queue its import."""
    directory = Path(settings.FAIRSPOT_IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    job = ImportJob(
        kind=kind,
        file_name=Path(upload.name).name[:255],
        created_by=actor,
        department_id=actor.department_id,
        size=upload.size,
    )
    job.stored_path = str(store_upload(directory, upload, name=str(job.id)))
    job.save()
    return job


def store_upload(directory: Path, upload, *, name: str) -> Path:
    """Write an upload readable by its owner only (0600), named by its SHA-256 digest, no extension.

    The bytes go to a temporary name first and are renamed once the digest is known; the same bytes
    uploaded twice share one file.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    digest = hashlib.sha256()
    partial = directory / f".incoming-{name}"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    path = directory / digest.hexdigest()
    os.replace(partial, path)
    return path


def discard_upload(job: ImportJob) -> None:
    """Delete a rejected upload's file, unless another job that was not rejected holds the same bytes."""
    others = ImportJob.objects.filter(stored_path=job.stored_path).exclude(pk=job.pk)
    if others.exclude(status=JobStatus.FAILED).exists():
        return
    Path(job.stored_path).unlink(missing_ok=True)


def job_start(job: ImportJob) -> None:
    """Queue the job's import for the worker once the transaction that created the job has committed
    (the worker must find the job; a rolled-back upload queues nothing). Inline (tests): import now."""
    if settings.FAIRSPOT_JOBS_INLINE:
        job_run(job.pk)
        return
    transaction.on_commit(partial(run_import.enqueue, str(job.pk)))


@task()
def run_import(job_id: str) -> str:
    """The queued task: reap the jobs of dead workers, then run this one. Returns its final status."""
    reap_stale_jobs()
    return job_run(job_id).status


def job_run(job_id) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    now = timezone.now()
    # Only a queued job starts: a task delivered twice, or a job already reaped, is not run again.
    if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, heartbeat_at=now
    ):
        logger.warning("import job %s is %s, not queued: not run", job.pk, job.status)
        job.refresh_from_db()
        return job
    job.status, job.heartbeat_at = JobStatus.RUNNING, now
    _beat(job.pk, 0, 0)

    def progress(rows: int, percent: int) -> None:
        _beat(job.pk, rows, percent)

    importer = registry()[job.kind].importer(
        actor=job.created_by, options={"max_bytes": settings.FAIRSPOT_IMPORT_MAX_BYTES}
    )
    try:
        report = importer.run(Path(job.stored_path), file_name=job.file_name, progress=progress)
        job.report = report.as_dict()
        job.status = JobStatus.DONE if report.ok else JobStatus.FAILED
    except BaseException as exc:  # an unexpected failure must still end the job visibly
        if isinstance(exc, Exception):
            job.report = {"error_count": 1, "errors": [{"row": None, "column": None, "message": repr(exc)}]}
        else:  # the worker told to stop at once (a second SIGTERM / Ctrl+C): rolled back
            job.report = _interrupted_report()
        job.status = JobStatus.FAILED
        raise
    finally:
        job.finished_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["report", "status", "finished_at", "heartbeat_at"])
        cache.delete(progress_key(job.pk))
        if job.status == JobStatus.FAILED:
            discard_upload(job)
    return job


# --- heartbeat and reaping -----------------------------------------------------------------------
# The progress callback runs inside the import's transaction: a write to the job's row there would
# stay invisible until the commit (and on SQLite wait for the import's own write lock). So the live
# heartbeat goes, with the progress, into the cache that web and worker share (a file cache under
# var/); ``ImportJob.heartbeat_at`` keeps the last one written to the database (start and end).
def _beat(job_id, rows: int, percent: int) -> None:
    cache.set(progress_key(job_id), {"rows": rows, "percent": percent, "at": time.time()}, 24 * 3600)


def still_running(queued_at: datetime | None) -> bool:
    """A job queued at ``queued_at`` (None: none is) may still be at work: it has not been queued for
    ``FAIRSPOT_JOB_STALE_SECONDS`` yet. After that its worker is taken for dead and the job may be asked
    for again (a job runs in one transaction, so a dead one left nothing)."""
    if queued_at is None:
        return False
    return timezone.now() - queued_at < timedelta(seconds=settings.FAIRSPOT_JOB_STALE_SECONDS)


def last_heartbeat(job: ImportJob) -> datetime:
    """When the worker running ``job`` was last heard from: in the database or in the shared cache."""
    beat = job.heartbeat_at or job.created_at
    at = (cache.get(progress_key(job.pk)) or {}).get("at")
    if at:
        beat = max(beat, datetime.fromtimestamp(at, tz=UTC))
    return beat


def _interrupted_report() -> dict:
    return {
        "error_count": 1,
        "errors": [{"row": None, "column": None, "message": str(INTERRUPTED)}],
        "interrupted": True,
    }


def reap_stale_jobs(jobs=None) -> int:
    """Mark failed every running import (of ``jobs``, default all) whose worker has been silent for
    ``FAIRSPOT_JOB_STALE_SECONDS``: it was killed, and its transaction rolled back. Returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.FAIRSPOT_JOB_STALE_SECONDS)
    suspects = (ImportJob.objects.all() if jobs is None else jobs).filter(status=JobStatus.RUNNING)
    suspects = suspects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    reaped = 0
    for job in suspects:
        if last_heartbeat(job) >= cutoff:
            continue
        # only if still running: a job that ended meanwhile keeps its own outcome
        if not ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, report=_interrupted_report(), finished_at=timezone.now()
        ):
            continue
        logger.warning("import job %s: worker silent since %s, marked failed", job.pk, last_heartbeat(job))
        cache.delete(progress_key(job.pk))
        job.status = JobStatus.FAILED
        discard_upload(job)
        _fail_task_result(job)
        reaped += 1
    return reaped


class ImportInterrupted(Exception):
    """Recorded on the queue's task result of an import whose worker died."""


def _fail_task_result(job: ImportJob) -> None:
    """The dead worker's task stays "running" in the queue's table too: mark it failed there."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.running().filter(
        task_path=run_import.module_path, args_kwargs__args__0=str(job.pk)
    ):
        result.set_failed(ImportInterrupted(f"import job {job.pk}: its worker stopped"))
