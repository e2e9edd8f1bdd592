"""Freezing the inspector pool at commit time, and turning it into the engine's matching spec.

The pool (eligible-looking inspectors with their certificates, qualifications, townships and capacity;
the conflict register; who inspected which target recently) is written as canonical JSON next to the
bundle, and its SHA-256 goes into the target draw's manifest (``annex.inspector_pool_sha256``). So the
teams' inputs are fixed before the randomness exists, and the matching's only randomness is the seed
of the target draw.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

from fairspot.draw import canonical_json
from fairspot.draws.models import Task, Team
from fairspot.inspectors.models import Conflict, Inspector, PersonStatus

POOL_FILE = "inspector-pool.json"


def _split(text: str) -> list[str]:
    return sorted({p.strip() for p in text.replace(";", "；").split("；") if p.strip()})


def task_departments(task: Task) -> list[str]:
    """Lead department first, then the participating departments (by code)."""
    others = sorted(d.code for d in task.participating_departments.all() if d.pk != task.department_id)
    return [task.department.code, *others]


def required_qualifications(task: Task) -> list[str]:
    return sorted({i.required_qualification for i in task.items.all() if i.required_qualification})


def freeze_pool(task: Task, *, exclude_draw=None) -> dict[str, Any]:
    """The pool as it is now. ``exclude_draw``: a draw being re-matched, whose own teams are not
    "recent inspections" of its targets."""
    departments = task_departments(task)
    capacity = settings.FAIRSPOT_INSPECTOR_CAPACITY
    inspectors = []
    qs = Inspector.objects.filter(
        department__code__in=departments, status=PersonStatus.ACTIVE
    ).select_related("department")
    for insp in qs.order_by("staff_no"):
        if not insp.certificate_no or insp.certificate_expiry is None:
            continue  # only certified officers may inspect; the rest never enter the pool
        inspectors.append(
            {
                "id": insp.staff_no,
                "department": insp.department.code,
                "certificate_expires": insp.certificate_expiry.isoformat(),
                "qualifications": sorted(set(insp.qualification_list) | set(insp.expertise_list)),
                "township_posted": insp.posted_township_id or "unknown-posted",
                "township_residence": insp.residence_township_id or "unknown-residence",
                "capacity": capacity,
            }
        )
    ids = {i["id"] for i in inspectors}
    day = task.inspection_date
    recusals = sorted(
        {
            (c.inspector.staff_no, c.target.identifier)
            for c in Conflict.objects.filter(inspector__staff_no__in=ids).select_related(
                "inspector", "target"
            )
            if c.active_on(day)
        }
    )
    since = day - timedelta(days=task.recent_window_days)
    recent = sorted(
        {
            (staff, ident)
            for staff, ident in Team.objects.filter(
                current=True,
                draw__status="revealed",
                draw__task__inspection_date__gte=since,
                draw__task__inspection_date__lte=day,
                members__staff_no__in=ids,
            )
            .exclude(draw=exclude_draw)
            .values_list("members__staff_no", "target__identifier")
        }
    )
    return {
        "task": task.code,
        "date": day.isoformat(),
        "departments": departments,
        "qualifications": required_qualifications(task),
        "team_size": max(task.team_size, len(departments)),
        "same_township": task.same_township_rule,
        "inspectors": inspectors,
        "recusals": [{"inspector": a, "target": b} for a, b in recusals],
        "recent": [{"inspector": a, "target": b} for a, b in recent],
    }


def pool_bytes(pool: dict[str, Any]) -> bytes:
    return canonical_json(pool)


def matching_spec(
    matching_id: str,
    pool: dict[str, Any],
    targets: list[tuple[str, str]],
    sources: list[dict],
    title: str | None = None,
) -> dict:
    """The engine's matching spec: one task per drawn target (identifier, township code)."""
    return {
        "kind": "matching",
        "draw_id": matching_id,
        "title": pool["task"] if title is None else title,
        "rules": {"same_township": pool["same_township"]},
        "tasks": [
            {
                "id": ident,
                "target": ident,
                "date": pool["date"],
                "township": township or "unknown",
                "departments": pool["departments"],
                "qualifications": pool["qualifications"],
                "team_size": pool["team_size"],
            }
            for ident, township in targets
        ],
        "inspectors": pool["inspectors"],
        "recusals": pool["recusals"],
        "recent": pool["recent"],
        "sources": sources,
    }
