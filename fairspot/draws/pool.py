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
from fairspot.inspectors.models import Conflict, Expert, Inspector, PersonStatus

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
    pool = {
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
    if task.experts_per_team:
        pool.update(_expert_pool(task, departments))
    return pool


def expert_id(pk: int) -> str:
    return f"EXPERT-{pk}"


def expert_pks(team: dict) -> list[int]:
    """The Expert rows of a matching result's team (none when the spec had no expert pool)."""
    return [int(e["expert"].removeprefix("EXPERT-")) for e in team.get("experts", [])]


def _expert_pool(task: Task, departments: list[str]) -> dict[str, Any]:
    """The experts of the task's departments (active), with their recusals on the inspection date.
    Written only when the task asks for experts, so other pools keep their bytes."""
    experts = list(
        Expert.objects.filter(department__code__in=departments, status=PersonStatus.ACTIVE).order_by("pk")
    )
    ids = {e.pk for e in experts}
    recusals = sorted(
        {
            (expert_id(c.expert_id), c.target.identifier)
            for c in Conflict.objects.filter(expert_id__in=ids).select_related("target")
            if c.active_on(task.inspection_date)
        }
    )
    return {
        "experts_per_team": task.experts_per_team,
        "expert_qualifications": _split(task.expert_fields),
        "experts": [
            {"id": expert_id(e.pk), "qualifications": sorted(set(e.expertise_list))} for e in experts
        ],
        "expert_recusals": [{"expert": a, "target": b} for a, b in recusals],
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
    spec = {
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
    if pool.get("experts"):
        # capacity = every team: an expert's load is left to the draw's order, and the rule never runs
        # short at reveal (each expert's capacity covers every task it is eligible for, §7.8)
        spec["experts"] = [dict(e, capacity=len(targets)) for e in pool["experts"]]
        spec["expert_recusals"] = pool["expert_recusals"]
        for task in spec["tasks"]:
            task["experts"] = pool["experts_per_team"]
            task["expert_qualifications"] = pool["expert_qualifications"]
    return spec


def expert_shortage(pool: dict[str, Any]) -> int:
    """How many experts the task asks for beyond those in the pool with the required expertise."""
    need = pool.get("experts_per_team", 0)
    wanted = set(pool.get("expert_qualifications", []))
    able = [e for e in pool.get("experts", []) if wanted <= set(e["qualifications"])]
    return max(0, need - len(able))
