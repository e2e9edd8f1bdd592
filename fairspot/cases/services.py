"""Writes of the cases room: intake → assignment → handling notes → result, reopen, transfer, special
inspections. Every state change is audited; personal data reach the audit log only masked.

Who may do what:
- intake, assign, reopen: administrators of the lead's department and the joint-meeting office;
- handling notes and closing: the same, and the inspectors the lead is assigned to;
- transfer to another department: the joint-meeting office only;
- a special inspection from a group of leads: administrators of the leads' department, or the office
  for leads of several departments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.models import Department
from fairspot.accounts.scoping import department_for_write, require_department
from fairspot.audit.services import Change, diff, record, record_many
from fairspot.cases.models import Lead, LeadNote, LeadStatus, NoteKind, Outcome
from fairspot.cases.privacy import masked
from fairspot.core.errors import DomainError
from fairspot.draws.models import Task, TaskKind
from fairspot.draws.services import task_create
from fairspot.inspections.services import case_check_approve
from fairspot.inspectors.models import Inspector, PersonStatus

INTAKE_FIELDS = (
    "kind",
    "received_on",
    "department",
    "description",
    "unlicensed",
    "target",
    "party_name",
    "party_address",
    "party_contact",
    "complainant_name",
    "complainant_phone",
    "item",
    "category",
)


def snapshot(lead: Lead) -> dict[str, Any]:
    """The lead as the audit log records it: personal fields masked."""
    data = {
        "number": lead.number,
        "kind": lead.kind,
        "received_on": lead.received_on,
        "department": lead.department_id,
        "description": lead.description,
        "unlicensed": lead.unlicensed,
        "target": lead.target.identifier if lead.target_id else None,
        "item": lead.item.code if lead.item_id else None,
        "category": lead.category,
        "status": lead.status,
        "result": lead.result,
        "outcome": lead.outcome,
        "closed_at": lead.closed_at,
    }
    if lead.pk:
        data["assignees"] = sorted(lead.assignees.values_list("staff_no", flat=True))
    data.update(masked(lead))
    return data


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update(of=("self",)).select_related("target", "item").get(pk=lead.pk)


def _next_number(department: Department, received_on) -> str:
    prefix = f"{department.code}-{received_on:%Y}-"
    last = (
        Lead.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{serial:05d}"


def _require_handler(actor, lead: Lead) -> None:
    """Department administrators and the office, or an inspector the lead is assigned to."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Please log in to handle leads and cases."))
    if actor.can_manage and (actor.sees_all_departments or actor.department_id == lead.department_id):
        return
    inspector = getattr(actor, "inspector", None)
    if inspector is not None and lead.assignees.filter(pk=inspector.pk).exists():
        return
    raise PermissionDenied(_("Only the lead's department or its assigned inspectors may handle it."))


def _check_subject(lead: Lead) -> None:
    for field in ("party_name", "party_address", "party_contact", "complainant_name", "complainant_phone"):
        setattr(lead, field, (getattr(lead, field) or "").strip())
    if lead.target_id is None:
        if lead.unlicensed and not (lead.party_name and lead.party_address):
            raise DomainError(
                _("An unlicensed business not in the directory needs the party's name and address."),
                field="party_name",
            )
        if not lead.party_name:
            raise DomainError(_("Name the target from the directory or the party."), field="party_name")


# --- intake --------------------------------------------------------------------------------------
@transaction.atomic
def lead_intake(*, actor, values: dict[str, Any]) -> Lead:
    """Register a lead (complaint, report, referral, data-monitoring lead) under a department."""
    unknown = set(values) - set(INTAKE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    values = dict(values)
    values["department"] = department_for_write(actor, values.get("department"))
    require_department(actor, values["department"].pk)
    lead = Lead(created_by=actor, status=LeadStatus.RECEIVED, **values)
    if lead.item_id and lead.item.department_id != lead.department_id:
        raise DomainError(_("The check item belongs to another department."), field="item")
    lead.category = (lead.category or "").strip() or (lead.item.category if lead.item_id else "")
    if not lead.category:
        raise DomainError(_("Give the lead a category (e.g. the item's category)."), field="category")
    if not (lead.description or "").strip():
        raise DomainError(_("Describe the lead."), field="description")
    _check_subject(lead)
    lead.number = _next_number(lead.department, lead.received_on)
    lead.full_clean()
    lead.save()
    record(actor, "cases.lead.received", lead, changes=diff({}, snapshot(lead)))
    return lead


# --- assignment ----------------------------------------------------------------------------------
@transaction.atomic
def lead_assign(*, actor, lead: Lead, inspectors: Iterable[Inspector]) -> Lead:
    """Assign (or reassign) the lead to active inspectors of its department."""
    require_department(actor, lead.department_id)
    lead = _locked(lead)
    if not lead.is_open:
        raise DomainError(_("A closed lead is reopened before it is reassigned."))
    inspectors = list(inspectors)
    if not inspectors:
        raise DomainError(_("Choose at least one inspector."), field="inspectors")
    for inspector in inspectors:
        if inspector.department_id != lead.department_id:
            raise DomainError(
                _("%(name)s is not an inspector of the lead's department.") % {"name": inspector},
                field="inspectors",
            )
        if inspector.status != PersonStatus.ACTIVE:
            raise DomainError(_("%(name)s is not active.") % {"name": inspector}, field="inspectors")
    before = snapshot(lead)
    lead.assignees.set(inspectors)
    if lead.status == LeadStatus.RECEIVED:
        lead.status = LeadStatus.ASSIGNED
        lead.save(update_fields=["status"])
    record(actor, "cases.lead.assigned", lead, changes=diff(before, snapshot(lead)))
    return lead


# --- approval of the check (检查审批) ---------------------------------------------------------------
@transaction.atomic
def lead_approve_check(
    *, actor, lead: Lead, legal_basis: str, note: str = "", over_cap_reason: str = ""
) -> Lead:
    """The department's approver approves the lead's check, with its legal basis; handling (the first
    note) waits for it. Audited by ``inspections`` (the approval) and here (the link)."""
    require_department(actor, lead.department_id)
    lead = _locked(lead)
    if not lead.is_open:
        raise DomainError(_("The lead is closed; reopen it before its check is approved."))
    if lead.check_approval_id is not None:
        raise DomainError(_("The check of this lead is already approved."))
    approval = case_check_approve(
        actor=actor,
        department=lead.department,
        subject=f"{lead.number} · {lead.subject}",
        legal_basis=legal_basis,
        note=note,
        target=lead.target,
        over_cap_reason=over_cap_reason,
    )
    lead.check_approval = approval
    lead.save(update_fields=["check_approval"])
    record(actor, "cases.lead.check_approved", lead, data={"approval": approval.pk})
    return lead


# --- handling ------------------------------------------------------------------------------------
@transaction.atomic
def lead_add_note(*, actor, lead: Lead, text: str) -> LeadNote:
    """Append a handling note. Notes are never changed; the first one on an assigned lead starts handling."""
    lead = _locked(lead)
    _require_handler(actor, lead)
    if not lead.is_open:
        raise DomainError(_("The lead is closed; reopen it to add notes."))
    text = text.strip()
    if not text:
        raise DomainError(_("The note is empty."), field="text")
    if lead.status == LeadStatus.ASSIGNED and lead.check_approval_id is None:
        raise DomainError(
            _(
                "The check of this lead has not been approved (检查审批): the department's approver "
                "approves it with its legal basis before the handling starts. Nothing was recorded."
            )
        )
    note = LeadNote.objects.create(lead=lead, kind=NoteKind.NOTE, text=text, author=actor)
    changes = {}
    if lead.status == LeadStatus.ASSIGNED:
        lead.status = LeadStatus.HANDLING
        lead.save(update_fields=["status"])
        changes = {"status": [LeadStatus.ASSIGNED.value, LeadStatus.HANDLING.value]}
    record(actor, "cases.lead.noted", lead, changes=changes, data={"note": note.pk})
    return note


@transaction.atomic
def lead_close(*, actor, lead: Lead, result: str, outcome: str) -> Lead:
    """Close with a result. Refused without a result text and an outcome category."""
    lead = _locked(lead)
    _require_handler(actor, lead)
    if not lead.is_open:
        raise DomainError(_("The lead is already closed."))
    if lead.status == LeadStatus.RECEIVED:
        raise DomainError(_("Assign the lead before closing it."))
    result = (result or "").strip()
    if not result:
        raise DomainError(_("A lead is closed only with a result."), field="result")
    if outcome not in Outcome.values:
        raise DomainError(_("Choose the outcome."), field="outcome")
    before = snapshot(lead)
    lead.result, lead.outcome = result, outcome
    lead.status = LeadStatus.CLOSED
    lead.closed_at = timezone.now()
    lead.save(update_fields=["result", "outcome", "status", "closed_at"])
    record(actor, "cases.lead.closed", lead, changes=diff(before, snapshot(lead)))
    return lead


@transaction.atomic
def lead_reopen(*, actor, lead: Lead, reason: str) -> Lead:
    """Reopen a closed lead. The earlier result is kept in a note and in the audit log."""
    require_department(actor, lead.department_id)
    lead = _locked(lead)
    if lead.is_open:
        raise DomainError(_("The lead is not closed."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the lead is reopened."), field="reason")
    before = snapshot(lead)
    LeadNote.objects.create(
        lead=lead,
        kind=NoteKind.REOPEN,
        author=actor,
        text=_("Reopened: %(reason)s\nEarlier result (%(outcome)s, %(closed)s): %(result)s")
        % {
            "reason": reason,
            "outcome": lead.get_outcome_display(),
            "closed": f"{timezone.localtime(lead.closed_at):%Y-%m-%d %H:%M}",
            "result": lead.result,
        },
    )
    lead.status = LeadStatus.HANDLING if lead.assignees.exists() else LeadStatus.RECEIVED
    lead.result, lead.outcome, lead.closed_at = "", "", None
    lead.save(update_fields=["status", "result", "outcome", "closed_at"])
    record(actor, "cases.lead.reopened", lead, changes=diff(before, snapshot(lead)), data={"reason": reason})
    return lead


@transaction.atomic
def lead_transfer(*, actor, lead: Lead, department: Department, reason: str) -> Lead:
    """The office hands an open lead to another department: assignees are cleared, it starts as received."""
    if not (actor.is_authenticated and actor.sees_all_departments):
        raise PermissionDenied(_("Only the joint-meeting office transfers leads."))
    lead = _locked(lead)
    if not lead.is_open:
        raise DomainError(_("A closed lead is not transferred."))
    if department.pk == lead.department_id:
        raise DomainError(_("The lead already belongs to this department."), field="department")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the lead is transferred."), field="reason")
    before = snapshot(lead)
    old = lead.department
    LeadNote.objects.create(
        lead=lead,
        kind=NoteKind.TRANSFER,
        author=actor,
        text=_("Transferred from %(old)s to %(new)s: %(reason)s")
        % {"old": old, "new": department, "reason": reason},
    )
    lead.assignees.clear()
    lead.department = department
    lead.status = LeadStatus.RECEIVED
    if lead.item_id and lead.item.department_id != department.pk:
        lead.item = None  # the other department's item is not the new department's matter
    lead.save(update_fields=["department", "status", "item"])
    record(
        actor, "cases.lead.transferred", lead, changes=diff(before, snapshot(lead)), data={"reason": reason}
    )
    return lead


# --- special inspections -------------------------------------------------------------------------
@transaction.atomic
def special_inspection_create(
    *, actor, leads: Iterable[Lead], items, values: dict[str, Any], participating=()
) -> Task:
    """A special inspection (专项检查) of a widespread problem: a ``special`` task with its own ratio
    (it may exceed the items' caps) and its own draw, linked to the leads of one category."""
    leads = list(Lead.objects.select_for_update().filter(pk__in=[lead.pk for lead in leads]))
    if not leads:
        raise DomainError(_("Select the leads the special inspection is made from."), field="leads")
    for lead in leads:
        require_department(actor, lead.department_id)
    categories = {lead.category for lead in leads}
    if len(categories) != 1:
        raise DomainError(
            _("The leads of one special inspection share one category; these have %(c)s.")
            % {"c": "、".join(sorted(categories))},
            field="leads",
        )
    category = categories.pop()
    values = dict(values)
    values["kind"] = TaskKind.SPECIAL
    if not values.get("title"):
        values["title"] = _("Special inspection: %(category)s") % {"category": category}
    values["department"] = department_for_write(actor, values.get("department"))
    others = {lead.department_id for lead in leads} - {values["department"].pk}
    participating = {*participating, *Department.objects.filter(pk__in=others)}
    task = task_create(actor=actor, values=values, items=items, participating=participating)
    for lead in leads:
        lead.special_tasks.add(task)
    numbers = sorted(lead.number for lead in leads)
    record_many(
        actor,
        [
            Change(
                "cases.special.created",
                task,
                data={"category": category, "leads": numbers, "ratio": str(task.ratio)},
            ),
            *(Change("cases.lead.linked", lead, data={"task": task.code}) for lead in leads),
        ],
    )
    return task
