"""Reading and verifying the audit log."""

from django.db.models import QuerySet

from fairspot.accounts.scoping import scope_audit_log
from fairspot.audit.models import AuditEntry
from fairspot.audit.verify import ChainReport, verify_chain

__all__ = ["ChainReport", "entries_about", "entries_for", "verify_chain"]


def entries_for(user) -> QuerySet[AuditEntry]:
    return scope_audit_log(user, AuditEntry.objects.select_related("actor"))


def entries_about(obj) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
