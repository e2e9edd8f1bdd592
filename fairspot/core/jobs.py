"""Running import jobs: store the upload, import it in a background thread, publish progress."""

import shutil
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
    path = directory / f"{job.id}{Path(upload.name).suffix.lower()[:10]}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.stored_path = str(path)
    job.save()
    return job


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
    if job.status == JobStatus.DONE:
        _archive(job)
    return job


def _archive(job: ImportJob) -> None:
    """Keep the imported file next to its sha256 so the audit entry can be traced to its bytes."""
    sha = job.report.get("sha256", "")
    if sha:
        target = Path(job.stored_path).with_name(f"{sha}{Path(job.stored_path).suffix}")
        if not target.exists():
            shutil.copyfile(job.stored_path, target)
