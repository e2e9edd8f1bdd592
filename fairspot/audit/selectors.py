"""Reading and verifying the audit log."""

from dataclasses import dataclass

from django.db.models import QuerySet

from fairspot.accounts.scoping import scope_to_department
from fairspot.audit.models import AuditEntry
from fairspot.audit.services import GENESIS, _hashed_fields, entry_digest


def entries_for(user) -> QuerySet[AuditEntry]:
    return scope_to_department(user, AuditEntry.objects.select_related("actor"))


def entries_about(obj) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


@dataclass
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Recompute every entry's hash in order; report the first entry that does not match."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=5000):
        if entry.prev_hash != prev:
            return ChainReport(False, checked, entry.id, "previous hash does not match (entry missing?)")
        if entry_digest(prev, _hashed_fields(entry)) != entry.entry_hash:
            return ChainReport(False, checked, entry.id, "entry content changed after it was written")
        prev = entry.entry_hash
        checked += 1
    return ChainReport(True, checked)
