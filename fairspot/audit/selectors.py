"""Reading and verifying the audit log."""

from django.db.models import QuerySet

from fairspot.accounts.scoping import scope_audit_log
from fairspot.audit.models import AuditEntry, PublishedAnchor
from fairspot.audit.verify import ChainReport, verify_chain

__all__ = ["ChainReport", "entries_about", "entries_for", "published_heads", "verify_chain"]


def entries_for(user) -> QuerySet[AuditEntry]:
    return scope_audit_log(user, AuditEntry.objects.select_related("actor"))


def entries_about(obj, user=None) -> QuerySet[AuditEntry]:
    """The audit entries about one record; given a ``user``, only those the user may read in /audit/."""
    qs = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs if user is None else scope_audit_log(user, qs)


def published_heads() -> QuerySet[PublishedAnchor]:
    """The daily chain heads, newest first (public: positions and digests reveal no content)."""
    return PublishedAnchor.objects.order_by("-day")
