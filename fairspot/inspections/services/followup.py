"""Follow-up of an approved or published result (order to correct, case, copy …) and its closing."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_manager
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import Disposition, FollowUp, ResultStatus, VisitItem
from fairspot.inspections.services.rules import require_line_department


def followup_add(
    *,
    actor,
    line: VisitItem,
    disposition: str,
    note: str = "",
    correct_by: date | None = None,
    recheck_on: date | None = None,
    copied_to=None,
) -> FollowUp:
    require_manager(actor)
    require_line_department(actor, line)
    if disposition not in Disposition.values:
        raise DomainError(_("Unknown disposition."), field="disposition")
    if line.status not in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
        raise DomainError(_("Follow-up is recorded for an approved or published result."))
    if disposition == Disposition.CORRECT:
        if correct_by is None or recheck_on is None:
            raise DomainError(
                _("An order to correct needs a deadline and a re-check date."), field="correct_by"
            )
        if recheck_on < correct_by:
            raise DomainError(_("The re-check comes after the deadline to correct."), field="recheck_on")
    if disposition == Disposition.COPY and copied_to is None:
        raise DomainError(_("Name the department the result is copied to."), field="copied_to")
    if disposition in (Disposition.OTHER, Disposition.CASE, Disposition.JUDICIAL) and not note.strip():
        raise DomainError(_("Describe the follow-up."), field="note")
    with transaction.atomic():
        followup = FollowUp.objects.create(
            line=line,
            disposition=disposition,
            note=note.strip(),
            correct_by=correct_by,
            recheck_on=recheck_on,
            copied_to=copied_to,
            created_by=actor,
            closed=disposition == Disposition.NONE,
            closed_on=timezone.localdate() if disposition == Disposition.NONE else None,
        )
        record(
            actor,
            "inspections.followup.added",
            line,
            data={"followup": followup.pk, "disposition": disposition, "note": followup.note},
            department_id=line.department_id,
        )
    return followup


def followup_close(*, actor, followup: FollowUp, closed_on: date, note: str = "") -> FollowUp:
    require_manager(actor)
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().select_related("line").get(pk=followup.pk)
        line = followup.line
        require_line_department(actor, line)
        if followup.closed:
            raise DomainError(_("This follow-up is already closed."))
        if closed_on < timezone.localtime(followup.created_at).date() or closed_on > timezone.localdate():
            raise DomainError(_("The closing date lies between the follow-up and today."), field="closed_on")
        followup.closed, followup.closed_on, followup.closing_note = True, closed_on, note.strip()
        followup.save(update_fields=["closed", "closed_on", "closing_note"])
        record(
            actor,
            "inspections.followup.closed",
            line,
            changes={"closed": [False, True]},
            data={"followup": followup.pk, "closed_on": closed_on, "note": followup.closing_note},
            department_id=line.department_id,
        )
    return followup
