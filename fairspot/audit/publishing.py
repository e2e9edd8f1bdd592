"""The daily published chain head (run ``manage.py audit_anchor`` once a day)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from fairspot.audit.models import AuditEntry, PublishedAnchor
from fairspot.audit.services import record


def publish_head(day: date | None = None) -> tuple[PublishedAnchor | None, bool]:
    """Publish today's chain head (once per day). Returns (the day's anchor, whether it is new)."""
    day = day or timezone.localdate()
    with transaction.atomic():
        existing = PublishedAnchor.objects.filter(day=day).first()
        if existing is not None:
            return existing, False
        head = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
        if head is None:
            return None, False
        anchor = PublishedAnchor.objects.create(
            day=day,
            entry_id=head[0],
            digest=head[1],
            entries=AuditEntry.objects.count(),
            published_at=timezone.now(),
        )
        record(
            None,
            "audit.head.published",
            anchor,
            data={"day": day, "position": anchor.entry_id, "digest": anchor.digest},
        )
    return anchor, True
