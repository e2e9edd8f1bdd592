"""The diligence record of one visit (尽职免责) and the register of failures (失职追责).

The record gathers, for one visit, what shows it followed the rules: each item and the version in force
on the inspection date, each draw re-verified from its stored bundle (digest, randomness sources, the
target's key and rank in its stratum), the team and why each officer was eligible (certificate valid on
the day, qualification, no declared conflict with the target, replacements), the dates, and whether each
result was published within the deadline.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fairspot.draws.models import DrawnTarget, TeamReplacement
from fairspot.draws.services import confirmed_values
from fairspot.draws.verification import bundle_title, verification_for
from fairspot.inspections.models import SETTLED, ResultCorrection, ResultStatus, Visit
from fairspot.inspectors.models import Conflict
from fairspot.items.models import CheckItemVersion
from fairspot.stats import measures, units
from fairspot.stats.filters import Filters


def _verified(draw) -> tuple[bool | None, str]:
    try:
        verification = verification_for(draw)
    except (OSError, ValueError) as exc:
        return False, _("The draw's stored files could not be read: %(e)s") % {"e": exc.__class__.__name__}
    if verification.reports is None:  # a province's draw: the worker computes it (draws.verification)
        return None, _(
            "Being re-computed from the stored files in the background; reload in a minute or two."
        )
    bad = [name for name, report in verification.reports if not report.ok]
    if bad:
        return False, _("Does not reproduce: %(parts)s") % {"parts": _(", ").join(map(bundle_title, bad))}
    return True, _("Re-computed from the stored files: everything reproduces.")


def _draws(visit: Visit) -> list[dict]:
    out = []
    for draw in visit.draws.select_related("task", "task__department").order_by("committed_at"):
        ok, verdict = _verified(draw)
        drawn = DrawnTarget.objects.filter(draw=draw, target=visit.target).first()
        cutoff = alternate = None
        if drawn is not None:
            stratum = DrawnTarget.objects.filter(draw=draw, stratum=drawn.stratum).order_by("rank")
            cutoff = stratum.filter(alternate=False).last()
            alternate = stratum.filter(alternate=True).first()
        out.append(
            {
                "draw": draw,
                "ok": ok,
                "verdict": verdict,
                "sources": [
                    {"name": s["name"], "value": confirmed_values(draw).get(s["name"], "")}
                    for s in draw.sources
                ],
                "drawn": drawn,
                "cutoff": cutoff,
                "alternate": alternate,
            }
        )
    return out


def _team(visit: Visit) -> list[dict]:
    day = visit.inspection_date
    required = {li.item.required_qualification for li in visit.lines.all() if li.item.required_qualification}
    conflicts = Conflict.objects.filter(target=visit.target, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    conflicted = set(conflicts.exclude(inspector=None).values_list("inspector_id", flat=True))
    out = []
    for officer in sorted(visit.members.all(), key=lambda o: (o.pk != visit.leader_id, o.staff_no)):
        certified = bool(officer.certificate_no) and officer.certificate_expiry is not None
        certified = certified and officer.certificate_expiry >= day
        qualified = required <= set(officer.qualification_list) | set(officer.expertise_list)
        out.append(
            {
                "officer": officer,
                "leader": officer.pk == visit.leader_id,
                "certified": certified,
                "qualified": qualified,
                "conflict": officer.pk in conflicted,
                "eligible": certified and qualified and officer.pk not in conflicted,
            }
        )
    return out


def record(visit: Visit, today: date) -> dict:
    lines = list(visit.lines.select_related("item", "department", "result_code").order_by("item__code"))
    corrections = {
        c.line_id: c.result_code
        for c in ResultCorrection.objects.filter(line__visit=visit)
        .select_related("result_code")
        .order_by("created_at", "pk")
    }
    rows = []
    for line in lines:
        version = (
            CheckItemVersion.objects.filter(item=line.item, effective_from__lte=visit.inspection_date)
            .order_by("-version")
            .first()
        )
        published = line.status == ResultStatus.PUBLISHED
        on_time = published and (visit.deadline is None or line.published_at.date() <= visit.deadline)
        rows.append(
            {
                "line": line,
                "version": version.version if version else line.item.version,
                "version_from": version.effective_from if version else line.item.effective_from,
                "result": corrections.get(line.pk, line.result_code),
                "published": published,
                "on_time": on_time,
                "withheld": line.status == ResultStatus.WITHHELD,
                "overdue": line.status not in SETTLED
                and visit.deadline is not None
                and visit.deadline < today,
            }
        )
    replacements = TeamReplacement.objects.filter(
        team__draw__in=visit.draws.all(), team__target=visit.target
    ).select_related("officer_out", "officer_in")
    team = _team(visit)
    return {
        "visit": visit,
        "lines": rows,
        "draws": _draws(visit),
        "team": team,
        "qualified_officers": sum(1 for t in team if t["eligible"]),
        "replacements": replacements,
        "departments": visit.departments.order_by("sort_order"),
        "today": today,
    }


def failures(filters: Filters, today: date) -> list[dict]:
    """Overdue or late results, visits with fewer than two qualified officers, abandoned draws."""
    entries = []
    for key, kind in (("overdue", _("Result overdue")), ("late", _("Result published late"))):
        qs = measures.rows(key, filters, today).select_related("visit__target", "item", "department")
        for line in qs.order_by("visit__deadline", "pk"):
            reason = (
                _("Published on %(d)s") % {"d": f"{line.published_at:%Y-%m-%d}"}
                if line.published_at
                else _("Not published")
            )
            entries.append(
                {
                    "kind": kind,
                    "department": line.department.name,
                    "what": f"{line.visit.target.name} · {line.item.code} {line.item.name}",
                    "date": f"{line.visit.deadline:%Y-%m-%d}",
                    "reason": reason,
                    "url": reverse("inspections:visit", args=[line.visit_id]) + f"#line-{line.pk}",
                }
            )
    certified = Q(members__certificate_no__gt="", members__certificate_expiry__gte=F("inspection_date"))
    short = (
        units.visits(filters)
        .annotate(qualified=Count("members", filter=certified, distinct=True))
        .filter(qualified__lt=2)
        .select_related("target", "department")
        .order_by("inspection_date", "pk")
    )
    for visit in short:
        entries.append(
            {
                "kind": _("Team of fewer than two qualified officers"),
                "department": visit.department.name,
                "what": visit.target.name,
                "date": f"{visit.inspection_date:%Y-%m-%d}",
                "reason": _("%(n)s officer(s) with a valid certificate") % {"n": visit.qualified},
                "url": reverse("inspections:visit", args=[visit.pk]),
            }
        )
    abandoned = measures.rows("abandoned", filters, today).select_related(
        "task", "task__department", "replaced_by"
    )
    for draw in abandoned.order_by("committed_at"):
        successor = getattr(draw, "replaced_by", None)
        entries.append(
            {
                "kind": _("Draw abandoned"),
                "department": draw.task.department.name,
                "what": f"{draw.draw_id} {draw.task.title}",
                "date": f"{draw.committed_at:%Y-%m-%d}",
                "reason": successor.replace_reason if successor else _("No reason recorded"),
                "url": draw.get_absolute_url(),
            }
        )
    return entries
