"""Running import jobs: store the upload, import it in a background thread, publish progress."""

import hashlib
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from fairspot.core.models import ImportJob, JobStatus
from fairspot.core.registry import registry


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
    if settings.FAIRSPOT_JOBS_INLINE:
        job_run(job.pk)
        return
    threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True, name=f"import-{job.pk}").start()


def _run_in_thread(job_id) -> None:
    try:
        job_run(job_id)
    finally:
        connection.close()


def job_run(job_id) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    cache.set(progress_key(job.pk), {"rows": 0, "percent": 0}, 3600)

    def progress(rows: int, percent: int) -> None:
        cache.set(progress_key(job.pk), {"rows": rows, "percent": percent}, 3600)

    importer = registry()[job.kind].importer(
        actor=job.created_by, options={"max_bytes": settings.FAIRSPOT_IMPORT_MAX_BYTES}
    )
    try:
        report = importer.run(Path(job.stored_path), file_name=job.file_name, progress=progress)
        job.report = report.as_dict()
        job.status = JobStatus.DONE if report.ok else JobStatus.FAILED
    except Exception as exc:  # an unexpected failure must still end the job visibly
        job.report = {"error_count": 1, "errors": [{"row": None, "column": None, "message": repr(exc)}]}
        job.status = JobStatus.FAILED
        raise
    finally:
        job.finished_at = timezone.now()
        job.save(update_fields=["report", "status", "finished_at"])
        cache.delete(progress_key(job.pk))
        if job.status == JobStatus.FAILED:
            discard_upload(job)
    return job
