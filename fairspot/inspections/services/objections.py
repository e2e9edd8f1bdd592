"""异议: the firm objects to a published result, through its check code or at the counter.

The period for objections runs ``FAIRSPOT_OBJECTION_WINDOW_DAYS`` working days from publication; an
objection received later is recorded all the same and marked late (the department may still examine
it). The department answers within ``FAIRSPOT_OBJECTION_ANSWER_DAYS`` working days of receipt: upheld,
the result gets a visible correction (``result_correct``) linked to the objection; not upheld, the firm
reads the answer on its check-code page.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.holidays.workdays import add_working_days_marked
from fairspot.inspections.models import Channel, Objection, ObjectionDecision, ResultStatus, VisitItem
from fairspot.inspections.services.lines import locked
from fairspot.inspections.services.publication import result_correct
from fairspot.inspections.services.rules import manages_line

TEXT_MAX = 2000


def objection_deadline(line: VisitItem) -> date | None:
    """The last day to object on time: the n-th working day after publication (None: not published)."""
    if line.published_at is None:
        return None
    day, _provisional = add_working_days_marked(
        timezone.localdate(line.published_at), settings.FAIRSPOT_OBJECTION_WINDOW_DAYS
    )
    return day


def _clean(applicant: str, content: str) -> tuple[str, str]:
    applicant, content = (applicant or "").strip()[:100], (content or "").strip()[:TEXT_MAX]
    if not applicant:
        raise DomainError(_("Say who objects (the firm, or its contact person)."), field="applicant")
    if not content:
        raise DomainError(_("Say what in the published result is wrong, and why."), field="content")
    return applicant, content


def objection_file(
    *,
    line: VisitItem,
    applicant: str,
    content: str,
    phone: str = "",
    actor=None,
    received_on: date | None = None,
) -> Objection:
    """File an objection: ``actor`` None is the firm through its check code (received today); an officer
    records one received at the counter (``received_on``: the day it was handed in)."""
    applicant, content = _clean(applicant, content)
    today = timezone.localdate()
    if actor is None:
        channel, received_on = Channel.CHECK_CODE, today
    else:
        if not manages_line(actor, line):
            raise PermissionDenied(_("Only the result's department records objections to it."))
        channel, received_on = Channel.COUNTER, received_on or today
        if received_on > today:
            raise DomainError(
                _("The day the objection was received cannot be in the future."), field="received_on"
            )
    with transaction.atomic():
        line = locked(line)
        if line.status != ResultStatus.PUBLISHED:
            raise DomainError(_("Only a published result can be objected to."))
        if received_on < timezone.localdate(line.published_at):
            raise DomainError(
                _("The objection cannot have been received before the result was published (%(day)s).")
                % {"day": timezone.localdate(line.published_at).isoformat()},
                field="received_on",
            )
        if line.objections.filter(decision=ObjectionDecision.PENDING).exists():
            raise DomainError(
                _("An objection to this result is already being examined; wait for its answer.")
            )
        late = received_on > objection_deadline(line)
        due, _provisional = add_working_days_marked(received_on, settings.FAIRSPOT_OBJECTION_ANSWER_DAYS)
        objection = Objection.objects.create(
            line=line,
            channel=channel,
            applicant=applicant,
            phone=(phone or "").strip()[:30],
            content=content,
            received_on=received_on,
            late=late,
            due=due,
            recorded_by=actor,
        )
        record(
            actor,
            "inspections.objection.filed",
            line,
            data={
                "via": channel,
                "objection": objection.pk,
                "received_on": received_on,
                "late": late,
                "answer_by": due,
            },
            department_id=line.department_id,
        )
    return objection


def objection_answer(
    *, actor, objection: Objection, uphold: bool, answer: str, result_code=None
) -> Objection:
    """Answer an objection. Upheld: the result is corrected (visibly) to ``result_code``."""
    answer = (answer or "").strip()[:TEXT_MAX]
    if not manages_line(actor, objection.line):
        raise PermissionDenied(_("Only the result's department answers objections to it."))
    if not answer:
        raise DomainError(_("Write the answer to the firm."), field="answer")
    if uphold and result_code is None:
        raise DomainError(_("Choose the corrected result."), field="result_code")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("line").get(pk=objection.pk)
        if objection.decision != ObjectionDecision.PENDING:
            raise DomainError(_("This objection has already been answered."))
        correction = None
        if uphold:
            correction = result_correct(
                actor=actor,
                line=objection.line,
                result_code=result_code,
                remarks=objection.line.current_remarks,
                reason=_("Objection of %(day)s upheld: %(answer)s")
                % {"day": objection.received_on.isoformat(), "answer": answer},
            )
        objection.decision = ObjectionDecision.UPHELD if uphold else ObjectionDecision.REJECTED
        objection.answer, objection.correction = answer, correction
        objection.decided_by, objection.decided_at = actor, timezone.now()
        objection.save(update_fields=["decision", "answer", "correction", "decided_by", "decided_at"])
        record(
            actor,
            "inspections.objection.answered",
            objection.line,
            changes={"decision": [ObjectionDecision.PENDING, objection.decision]},
            data={
                "objection": objection.pk,
                "answer": answer,
                "late_answer": timezone.localdate() > objection.due,
            },
            department_id=objection.line.department_id,
        )
    return objection
