"""Publication deadlines counted over a year whose holiday schedule was not yet confirmed (暂定).

``visit_finish`` never refuses for want of a calendar: it stores a provisional deadline (weekends and
the statutory holidays, see ``fairspot.holidays.workdays``) with ``deadline_provisional``.
When the office confirms that year's schedule, ``recompute_provisional`` counts every provisional
deadline again, audits each change (old → new) and returns the list the office is shown.
"""

from __future__ import annotations

from django.db import transaction

from fairspot.audit.services import record
from fairspot.inspections.models import Visit, VisitStatus
from fairspot.inspections.services.visits import publication_deadline


@transaction.atomic
def recompute_provisional(actor, year: int | None = None) -> list[dict]:
    """Recount every provisional deadline; the visits whose deadline or mark changed are audited."""
    out: list[dict] = []
    visits = (
        Visit.objects.select_for_update()
        .filter(deadline_provisional=True)
        .exclude(status=VisitStatus.REPLACED)
        .select_related("target")
        .order_by("deadline", "pk")
    )
    for visit in visits:
        base = visit.end_date or visit.inspection_date
        deadline, provisional = publication_deadline(base)
        change = {
            "visit": visit.pk,
            "what": f"{visit.target.name}（{visit.inspection_date:%Y-%m-%d}）",
            "old": visit.deadline.isoformat() if visit.deadline else "",
            "new": deadline.isoformat(),
            "provisional": provisional,
        }
        out.append(change)
        if deadline == visit.deadline and provisional == visit.deadline_provisional:
            continue
        changes = {}
        if deadline != visit.deadline:
            changes["deadline"] = [visit.deadline, deadline]
        if provisional != visit.deadline_provisional:
            changes["deadline_provisional"] = [visit.deadline_provisional, provisional]
        visit.deadline, visit.deadline_provisional = deadline, provisional
        visit.save(update_fields=["deadline", "deadline_provisional"])
        record(
            actor,
            "inspections.visit.deadline_recomputed",
            visit,
            changes=changes,
            data={"year": year},
            department_id=visit.department_id,
        )
    return out
