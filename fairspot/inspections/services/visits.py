"""Visits: created from a revealed draw (merged with another task's visit to the same target on the same
day), moved to an alternate target, finished (the end date fixes the publication deadline)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draws.models import Draw, DrawnTarget, DrawStatus, Team
from fairspot.holidays.workdays import add_working_days_marked
from fairspot.inspections.models import ResultStatus, Visit, VisitItem, VisitStatus
from fairspot.inspections.services.approvals import require_approved
from fairspot.inspections.services.rules import require_record
from fairspot.inspectors.models import Conflict

DEADLINE_WORKING_DAYS = 20


def publication_deadline(end: date) -> tuple[date, bool]:
    """The 20th working day after ``end``, and whether it is provisional (暂定, ``holidays.workdays``)."""
    return add_working_days_marked(end, DEADLINE_WORKING_DAYS)


# --- visits --------------------------------------------------------------------------------------
def _merge_or_create(*, actor, target, day, task, draw, team_leader, members, replaces=None, reason=""):
    """Add the task's items and departments and the team to the visit to target on day, or create it."""
    departments = [task.department, *task.participating_departments.all()]
    visit = (
        Visit.objects.select_for_update()
        .filter(target=target, inspection_date=day)
        .exclude(status=VisitStatus.REPLACED)
        .first()
    )
    created = visit is None
    if created:
        deadline, provisional = publication_deadline(day)  # until the end date fixes it
        visit = Visit.objects.create(
            target=target,
            inspection_date=day,
            department=task.department,
            leader=team_leader,
            deadline=deadline,
            deadline_provisional=provisional,
            replaces=replaces,
            replace_reason=reason,
        )
    elif visit.status != VisitStatus.PLANNED:
        raise DomainError(
            _("The visit to %(target)s on %(date)s is already finished; its items cannot be extended.")
            % {"target": target.name, "date": day.isoformat()}
        )
    before_items = set(visit.lines.values_list("item_id", flat=True))
    before_members = set(visit.members.values_list("pk", flat=True))
    visit.departments.add(*departments)
    visit.draws.add(draw)
    visit.members.add(*members)
    added = []
    for item in task.items.all():
        if item.pk not in before_items:
            VisitItem.objects.create(visit=visit, item=item, draw=draw, department=task.department)
            added.append(item.code)
    data = {
        "draw": draw.draw_id,
        "target": target.identifier,
        "items": added,
        "members": sorted(m.staff_no for m in members if m.pk not in before_members),
        "leader": visit.leader.staff_no,
    }
    if replaces is not None:
        data.update(replaces=replaces.pk, reason=reason)
    record(actor, "inspections.visit.created" if created else "inspections.visit.merged", visit, data=data)
    return visit


def visits_create_for_draw(*, actor, draw: Draw) -> list[Visit]:
    """One visit per drawn (non-alternate) target of a revealed draw, with the draw's team.

    When a visit to the same target on the same inspection date exists already (another task's draw),
    the task's items and departments are added to it and this draw's team members join its team; the
    first leader stays leader.
    """
    require_department(actor, draw.task.department_id)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task").get(pk=draw.pk)
        if draw.status != DrawStatus.REVEALED:
            raise DomainError(_("Visits are created from a revealed draw only."))
        if draw.visits.exists():
            raise DomainError(
                _("The visits of draw %(id)s have already been created.") % {"id": draw.draw_id}
            )
        teams = {
            t.target_id: t
            for t in Team.objects.filter(draw=draw, current=True)
            .select_related("leader")
            .prefetch_related("members")
        }
        drawn = list(draw.drawn.filter(alternate=False).select_related("target"))
        missing = [d.target.name for d in drawn if d.target_id not in teams]
        if missing:
            raise DomainError(
                _(
                    "No team was matched for %(n)s drawn target(s) (e.g. %(name)s); "
                    "no visit goes without a team."
                )
                % {"n": len(missing), "name": missing[0]}
            )
        visits = []
        for entry in drawn:
            team = teams[entry.target_id]
            visits.append(
                _merge_or_create(
                    actor=actor,
                    target=entry.target,
                    day=draw.task.inspection_date,
                    task=draw.task,
                    draw=draw,
                    team_leader=team.leader,
                    members=list(team.members.all()),
                )
            )
    return visits


def visit_replace_target(*, actor, visit: Visit, reason: str, requested_by=None) -> Visit:
    """The drawn target turned out closed: the next unused alternate of its stratum replaces it.

    The alternate is not chosen by the officer: it is the lowest-ranked alternate of the same draw and
    stratum that no visit uses yet. The team goes along unless one of its members has a declared
    conflict with the alternate. The replaced visit stays, marked replaced, with the reason.
    """
    require_record(actor, visit)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the drawn target cannot be inspected."), field="reason")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("target").get(pk=visit.pk)
        if visit.status != VisitStatus.PLANNED:
            raise DomainError(_("Only a planned visit can move to an alternate target."))
        if visit.lines.exclude(status=ResultStatus.NOT_ENTERED).exists():
            raise DomainError(_("Results have been entered for this visit; it cannot be replaced."))
        entry = (
            DrawnTarget.objects.filter(draw__in=visit.draws.all(), target=visit.target, alternate=False)
            .select_related("draw", "draw__task")
            .order_by("draw_id")
            .first()
        )
        if entry is None:
            raise DomainError(_("This visit's target was not drawn; there is no alternate for it."))
        used = Visit.objects.filter(draws=entry.draw).values_list("target_id", flat=True)
        alternate = (
            DrawnTarget.objects.filter(draw=entry.draw, stratum=entry.stratum, alternate=True)
            .exclude(target_id__in=list(used))
            .select_related("target")
            .order_by("rank")
            .first()
        )
        if alternate is None:
            raise DomainError(
                _("No unused alternate is left in stratum %(stratum)s of draw %(id)s.")
                % {"stratum": entry.stratum, "id": entry.draw.draw_id}
            )
        members = list(visit.members.all())
        today = visit.inspection_date
        conflicted = Conflict.objects.filter(inspector__in=members, target=alternate.target).filter(
            Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        if conflicted.exists():
            raise DomainError(
                _("%(name)s has a declared conflict with the alternate %(target)s; match a new team.")
                % {"name": conflicted.first().inspector.name, "target": alternate.target.name}
            )
        Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.REPLACED, replace_reason=reason)
        record(
            actor,
            "inspections.visit.replaced",
            visit,
            changes={"status": [VisitStatus.PLANNED, VisitStatus.REPLACED]},
            data={
                "reason": reason,
                "alternate": alternate.target.identifier,
                "draw": entry.draw.draw_id,
                "requested_by": requested_by.get_username() if requested_by else actor.get_username(),
                "approved_by": actor.get_username(),
            },
        )
        new = _merge_or_create(
            actor=actor,
            target=alternate.target,
            day=visit.inspection_date,
            task=entry.draw.task,
            draw=entry.draw,
            team_leader=visit.leader,
            members=members,
            replaces=visit,
            reason=reason,
        )
        # the other tasks that had merged into the replaced visit go along to the alternate
        for line in visit.lines.select_related("draw"):
            if not new.lines.filter(item=line.item).exists():
                VisitItem.objects.create(
                    visit=new, item=line.item, draw=line.draw, department=line.department
                )
        new.departments.add(*visit.departments.all())
        new.draws.add(*visit.draws.all())
    return new


def visit_finish(*, actor, visit: Visit, end_date: date) -> Visit:
    """Record the end of the field work; the publication deadline is the 20th working day after it."""
    require_record(actor, visit)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.status != VisitStatus.PLANNED:
            raise DomainError(_("This visit is not open."))
        require_approved(visit)
        if end_date < visit.inspection_date:
            raise DomainError(_("The inspection cannot end before it began."), field="end_date")
        if end_date > timezone.localdate():
            raise DomainError(
                _("The end date %(day)s is in the future: record the end once the field work is over.")
                % {"day": end_date.isoformat()},
                field="end_date",
            )
        deadline, provisional = publication_deadline(end_date)  # never refused for want of a calendar
        before = {
            "status": visit.status,
            "end_date": visit.end_date,
            "deadline": visit.deadline,
            "deadline_provisional": visit.deadline_provisional,
        }
        visit.status, visit.end_date = VisitStatus.DONE, end_date
        visit.deadline, visit.deadline_provisional = deadline, provisional
        visit.save(update_fields=["status", "end_date", "deadline", "deadline_provisional"])
        record(
            actor,
            "inspections.visit.finished",
            visit,
            changes={k: [v, getattr(visit, k)] for k, v in before.items() if v != getattr(visit, k)},
        )
    return visit
