"""Pages of a long export written in the background: its progress, then its file (for its owner only)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from fairspot.core.export_jobs import reap_stale_exports
from fairspot.core.models import ExportJob, ExportStatus
from fairspot.core.registry import registry
from fairspot.lib.export import content_type


def _own(request, pk) -> ExportJob:
    jobs = ExportJob.objects.filter(created_by=request.user)
    reap_stale_exports(jobs.filter(pk=pk))
    return get_object_or_404(jobs, pk=pk)


@login_required
def export_job(request, pk):
    job = _own(request, pk)
    spec = registry().get(job.kind)
    return render(
        request,
        "hub/export_job.html",
        {
            "job": job,
            "title": spec.title if spec else job.kind,
            "running": job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        },
    )


@login_required
def export_progress(request, pk):
    job = _own(request, pk)
    done = job.status in (ExportStatus.DONE, ExportStatus.FAILED)
    return JsonResponse(
        {
            "status": job.status,
            "rows": job.written,
            "percent": 100 if done else (round(100 * job.written / job.total) if job.total else 0),
        }
    )


@login_required
def export_download(request, pk):
    job = _own(request, pk)
    if job.status != ExportStatus.DONE or not job.stored_path:
        raise Http404("not ready")
    try:
        handle = open(job.stored_path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError as exc:
        raise Http404("the file was removed") from exc
    return FileResponse(
        handle, as_attachment=True, filename=job.file_name, content_type=content_type(job.fmt)
    )
