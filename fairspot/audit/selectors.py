"""Reading and verifying the audit log."""

from django.db.models import QuerySet

from fairspot.audit.models import AuditEntry, PublishedAnchor
from fairspot.audit.verify import ChainReport, verify_chain

__all__ = [
    "ChainReport",
    "entries_about",
    "entries_for",
    "published_heads",
    "reads_whole_audit_log",
    "scope_audit_log",
    "verify_chain",
]


def reads_whole_audit_log(user) -> bool:
    """The office, system administrators and the audit administrator (``User.reads_whole_audit_log``)."""
    return bool(user.is_authenticated and user.reads_whole_audit_log)


def scope_audit_log(user, queryset: QuerySet) -> QuerySet:
    """Audit entries the user may read: every department's for the roles above, else their department's
    (audit sits below accounts, so it asks the user object rather than importing the scoping module)."""
    if reads_whole_audit_log(user):
        return queryset
    if not user.is_authenticated or user.department_id is None:
        return queryset.none()
    return queryset.filter(department_id=user.department_id)


def entries_for(user) -> QuerySet[AuditEntry]:
    return scope_audit_log(user, AuditEntry.objects.select_related("actor"))


def entries_about(obj, user=None) -> QuerySet[AuditEntry]:
    """The audit entries about one record; given a ``user``, only those the user may read in /audit/."""
    qs = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs if user is None else scope_audit_log(user, qs)


def published_heads() -> QuerySet[PublishedAnchor]:
    """The daily chain heads, newest first (public: positions and digests reveal no content)."""
    return PublishedAnchor.objects.order_by("-day")
