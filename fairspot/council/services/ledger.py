"""The task ledger (工作任务台账): the office turns a signed-off decision into items, each with a unit, a
named person, a due date and a backward timetable; the unit reports progress on its own items; the
office supervises (督办) and closes (销号) them."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.council.models import (
    Decision,
    LedgerItem,
    LedgerNote,
    LedgerStatus,
    Member,
    Milestone,
    MinutesStatus,
    NoteKind,
)
from fairspot.council.rules import require_council_office, require_ledger_unit
from fairspot.council.timetable import backward_timetable
from fairspot.holidays.workdays import workday_calendar

UNIT_STATUSES = (LedgerStatus.NOT_STARTED, LedgerStatus.IN_PROGRESS, LedgerStatus.DONE)


def _locked(item: LedgerItem) -> LedgerItem:
    return LedgerItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def item_create(
    *,
    actor,
    decision: Decision,
    department,
    task: str,
    owner: str,
    due_date: date | None,
    owner_phone: str = "",
    start: date | None = None,
) -> LedgerItem:
    """A ledger item for a decision of signed-off minutes; its milestones are planned back from the due
    date in working days, from ``start`` (default today)."""
    require_council_office(actor)
    minutes = getattr(decision.meeting, "minutes", None)
    if minutes is None or minutes.status == MinutesStatus.DRAFT:
        raise DomainError(_("Ledger items are made from the decisions of signed-off minutes."))
    if department is None:
        raise DomainError(_("Choose the responsible unit."), field="department")
    if not Member.objects.filter(department=department, active=True).exists():
        raise DomainError(
            _("%(unit)s is not a member unit of the joint meeting.") % {"unit": department},
            field="department",
        )
    if not (task or "").strip():
        raise DomainError(_("Describe the task."), field="task")
    if not (owner or "").strip():
        raise DomainError(_("Name the person responsible for the task."), field="owner")
    if due_date is None:
        raise DomainError(_("Give the task a due date."), field="due_date")
    held_on = decision.meeting.held_on
    if held_on and due_date < held_on:
        raise DomainError(_("The due date lies before the meeting that decided the task."), field="due_date")
    item = LedgerItem.objects.create(
        decision=decision,
        department=department,
        task=task.strip(),
        owner=owner.strip(),
        owner_phone=(owner_phone or "").strip(),
        due_date=due_date,
        created_by=actor,
    )
    plan = backward_timetable(workday_calendar(), start=start or timezone.localdate(), due=due_date)
    Milestone.objects.bulk_create(Milestone(item=item, stage=stage, due_date=day) for stage, day in plan)
    record(
        actor,
        "council.ledger.created",
        item,
        data={"owner": item.owner, "due_date": due_date, "timetable": [[s, d] for s, d in plan]},
        department_id=department.pk,
    )
    return item


@transaction.atomic
def item_progress(*, actor, item: LedgerItem, text: str, status: str | None = None) -> LedgerItem:
    """The responsible unit notes its progress, optionally with a new status (done: reported done)."""
    require_ledger_unit(actor, item)
    item = _locked(item)
    if item.status == LedgerStatus.CLOSED:
        raise DomainError(_("The office has closed this item."))
    if not (text or "").strip():
        raise DomainError(_("Describe the progress."), field="text")
    before = item.status
    if status:
        if status not in UNIT_STATUSES:
            raise DomainError(_("Only the office closes an item."), field="status")
        item.status = status
        item.done_on = timezone.localdate() if status == LedgerStatus.DONE else None
        item.save(update_fields=["status", "done_on"])
    LedgerNote.objects.create(item=item, kind=NoteKind.PROGRESS, text=text.strip(), author=actor)
    record(
        actor,
        "council.ledger.progress",
        item,
        changes={"status": [before, item.status]} if before != item.status else {},
        data={"note": text.strip()},
        department_id=item.department_id,
    )
    return item


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: date | None = None) -> Milestone:
    require_ledger_unit(actor, milestone.item)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise DomainError(_("A step cannot be done on a future day."), field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    record(
        actor,
        "council.milestone.done",
        milestone.item,
        data={"stage": milestone.stage, "done_on": done_on},
        department_id=milestone.item.department_id,
    )
    return milestone


@transaction.atomic
def item_supervise(*, actor, item: LedgerItem, text: str, outcome: str = "") -> LedgerItem:
    """The office's supervision note (督办); ``outcome`` "close" accepts an item reported done (销号),
    "return" sends it back to the unit."""
    require_council_office(actor)
    item = _locked(item)
    if not (text or "").strip():
        raise DomainError(_("Write the supervision note."), field="text")
    before = item.status
    if outcome == "close":
        if item.status != LedgerStatus.DONE:
            raise DomainError(_("Only an item its unit reported done can be closed."))
        item.status = LedgerStatus.CLOSED
    elif outcome == "return":
        if item.status not in (LedgerStatus.DONE, LedgerStatus.CLOSED):
            raise DomainError(_("Only a finished item can be sent back."))
        item.status, item.done_on = LedgerStatus.IN_PROGRESS, None
    elif outcome:
        raise DomainError(_("Unknown outcome."), field="outcome")
    item.save(update_fields=["status", "done_on"])
    LedgerNote.objects.create(item=item, kind=NoteKind.SUPERVISION, text=text.strip(), author=actor)
    record(
        actor,
        "council.ledger.supervised",
        item,
        changes={"status": [before, item.status]} if before != item.status else {},
        data={"note": text.strip()},
        department_id=item.department_id,
    )
    return item
