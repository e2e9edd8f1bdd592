"""Shared steps of the writes on one visit item: lock it, save it against its version, check the team."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from fairspot.core.errors import DomainError
from fairspot.inspections.models import Visit, VisitItem


def require_two_officers(visit: Visit) -> None:
    valid = [m for m in visit.members.all() if m.certificate_valid_on(visit.inspection_date)]
    if len(valid) < 2:
        raise DomainError(
            _(
                "At least two officers with enforcement certificates valid on %(date)s must make up the "
                "team; this team has %(n)s. Nothing was recorded."
            )
            % {"date": visit.inspection_date.isoformat(), "n": len(valid)}
        )


def locked(line: VisitItem) -> VisitItem:
    return VisitItem.objects.select_for_update().select_related("visit", "item").get(pk=line.pk)


def save_versioned(line: VisitItem, version: int, **fields) -> VisitItem:
    """``UPDATE … SET …, version = version + 1 WHERE pk = … AND version = n``; refused when 0 rows."""
    updated = VisitItem.objects.filter(pk=line.pk, version=version).update(version=F("version") + 1, **fields)
    if updated != 1:
        current = VisitItem.objects.filter(pk=line.pk).values_list("version", flat=True).first()
        raise DomainError(
            _(
                "Somebody else saved this record after you opened it (you started from version "
                "%(mine)s, it is now version %(now)s). Your entry was not saved: it is shown again "
                "below; reload the record, compare, and save again."
            )
            % {"mine": version, "now": current},
            field="version",
        )
    return VisitItem.objects.select_related("visit", "item").get(pk=line.pk)
