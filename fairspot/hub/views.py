"""Staff pages shared by every list: dashboard, imports (upload, progress, report) and templates."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_manager
from fairspot.core.exporting import export_response
from fairspot.core.forms import UploadForm
from fairspot.core.jobs import job_create, job_start, progress_key, reap_stale_jobs
from fairspot.core.models import JobStatus
from fairspot.core.registry import registry
from fairspot.council.selectors import dashboard_panel
from fairspot.hub.selectors import dashboard_figures, jobs_for, recent_audit
from fairspot.inspections.selectors import awaiting_decision

logger = logging.getLogger(__name__)


def _importable(kind: str):
    spec = registry().get(kind)
    if spec is None or spec.importer is None:
        raise Http404
    return spec


def _reap(jobs) -> None:
    """Mark failed the shown imports whose worker died; a busy database only postpones it. (No
    transaction around it: on SQLite that would wait for the write lock of a running import.)"""
    try:
        reap_stale_jobs(jobs)
    except DatabaseError:
        logger.warning("could not mark interrupted imports failed now", exc_info=True)


@login_required
def dashboard(request):
    return render(
        request,
        "hub/dashboard.html",
        {
            "figures": dashboard_figures(request.user),
            "recent": recent_audit(request.user),
            "council": dashboard_panel(request.user, timezone.localdate()),
            "waiting": awaiting_decision(request.user),
        },
    )


@login_required
def import_start(request, kind: str):
    spec = _importable(kind)
    require_manager(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(actor=request.user, kind=kind, upload=form.cleaned_data["file"])
        job_start(job)
        return redirect("hub:import_job", pk=job.pk)
    return render(request, "hub/import_start.html", {"form": form, "spec": spec})


@login_required
def import_job(request, pk):
    _reap(jobs_for(request.user).filter(pk=pk))
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    return render(
        request,
        "hub/import_job.html",
        {
            "job": job,
            "spec": registry()[job.kind],
            "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        },
    )


@login_required
def import_progress(request, pk):
    _reap(jobs_for(request.user).filter(pk=pk))
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    progress = cache.get(progress_key(job.pk)) or {}
    return JsonResponse(
        {
            "status": job.status,
            "rows": progress.get("rows", job.report.get("rows", 0)),
            "percent": 100 if job.finished_at else progress.get("percent", 0),
        }
    )


@login_required
def import_report(request, pk, fmt: str):
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    rows = ([e["row"] or "", e["column"] or "", e["message"]] for e in job.report.get("errors", []))
    return export_response(f"import-errors-{job.kind}", [_("Row"), _("Column"), _("Reason")], rows, fmt)


@login_required
def imports(request):
    _reap(jobs_for(request.user))
    jobs = jobs_for(request.user)
    fmt = request.GET.get("export")
    if fmt:
        header = [
            _("Uploaded"),
            _("List"),
            _("File"),
            _("By"),
            _("Status"),
            _("Rows"),
            _("Errors"),
            "SHA-256",
        ]
        rows = (
            [
                j.created_at.isoformat(timespec="seconds"),
                j.kind,
                j.file_name,
                j.created_by.username,
                j.get_status_display(),
                j.report.get("rows", ""),
                j.report.get("error_count", ""),
                j.report.get("sha256", ""),
            ]
            for j in jobs
        )
        return export_response("imports", [str(h) for h in header], rows, fmt)
    return render(request, "hub/imports.html", {"jobs": jobs[:100]})


@login_required
def import_template(request, kind: str, fmt: str):
    spec = _importable(kind)
    return export_response(f"template-{kind}", spec.header(), iter(()), fmt)


@login_required
def docs_imports(request):
    """The column reference of every import, generated from the importers' own column lists."""
    lists = [(spec, spec.importer.columns) for spec in registry().values() if spec.importer]
    return render(request, "hub/docs_imports.html", {"lists": lists})
