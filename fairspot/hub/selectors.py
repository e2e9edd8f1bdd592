"""Reads for the dashboard and the import history."""

from django.db.models import Count, QuerySet

from fairspot.accounts.scoping import scope_to_department
from fairspot.core import versions
from fairspot.core.models import ImportJob
from fairspot.directory.models import Target
from fairspot.inspectors.selectors import experts_for, inspectors_for
from fairspot.items.selectors import items_for


def jobs_for(user) -> QuerySet[ImportJob]:
    if user.sees_all_departments:
        return ImportJob.objects.select_related("created_by")
    return ImportJob.objects.filter(created_by=user).select_related("created_by")


def dashboard_figures(user) -> dict:
    by_status = versions.cached(  # a province's directory is counted once per change, not per view
        "directory",
        "targets by status",
        lambda: dict(Target.objects.values_list("status").annotate(n=Count("id")).order_by()),
    )
    return {
        "targets": sum(by_status.values()),
        "targets_by_status": by_status,
        "inspectors": inspectors_for(user).count(),
        "experts": experts_for(user).count(),
        "items": items_for(user).count(),
        "published_items": items_for(user).filter(published=True).count(),
    }


def recent_audit(user, limit: int = 12):
    from fairspot.audit.models import AuditEntry

    return scope_to_department(user, AuditEntry.objects.select_related("actor"))[:limit]
