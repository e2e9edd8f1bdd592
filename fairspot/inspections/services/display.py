"""How long a published result is shown, and credit repair (信用修复).

The rule of a result is the ``DisplayRule`` of its current category (after corrections). A negative
result is shown for the rule's ``display_months`` from publication; the daily task
``end_expired_displays`` ends the display of every result past its period. Credit repair ends it early
on the firm's application where the rule allows (``repairable``, and not before ``repair_after_months``).
The record stays; public pages and the bulk files drop it, and the audit log says when and why.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import (
    Channel,
    CreditRepair,
    Decision,
    DisplayEnd,
    DisplayEndReason,
    DisplayRule,
    ResultCorrection,
    ResultStatus,
    VisitItem,
)
from fairspot.inspections.services.lines import locked
from fairspot.inspections.services.rules import manages_line

TEXT_MAX = 2000


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has none (31 Jan + 1 → 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_of(line: VisitItem) -> DisplayRule | None:
    code = line.current_code
    return DisplayRule.objects.filter(result_code=code).first() if code else None


def display_until(line: VisitItem, rule: DisplayRule | None = None) -> date | None:
    """The last day a published negative result is shown (None: shown without end, or not published)."""
    rule = rule if rule is not None else rule_of(line)
    if line.published_at is None or rule is None or not rule.negative or not rule.display_months:
        return None
    return add_months(timezone.localdate(line.published_at), rule.display_months)


def repair_opens(line: VisitItem, rule: DisplayRule) -> date:
    return add_months(timezone.localdate(line.published_at), rule.repair_after_months)


def _require_repairable(line: VisitItem, today: date) -> None:
    if line.status != ResultStatus.PUBLISHED:
        raise DomainError(_("Only a published result can be repaired."))
    if DisplayEnd.objects.filter(line=line).exists():
        raise DomainError(_("This result is no longer shown to the public; there is nothing to repair."))
    rule = rule_of(line)
    if rule is None or not rule.negative:
        raise DomainError(_("This result is not a negative record; there is nothing to repair."))
    if not rule.repairable:
        raise DomainError(
            _("The rules do not allow credit repair for results of the category “%(category)s”%(basis)s.")
            % {"category": rule.result_code.label, "basis": f"（{rule.basis}）" if rule.basis else ""}
        )
    opens = repair_opens(line, rule)
    if today < opens:
        raise DomainError(
            _("Credit repair of this result can be applied for from %(day)s (after %(months)s months shown).")
            % {"day": opens.isoformat(), "months": rule.repair_after_months}
        )


def repair_apply(
    *, line: VisitItem, applicant: str, statement: str, phone: str = "", actor=None, applied_on=None
) -> CreditRepair:
    """The firm applies (``actor`` None: through its check code) or an officer records an application
    received at the counter."""
    applicant, statement = (applicant or "").strip()[:100], (statement or "").strip()[:TEXT_MAX]
    if not applicant:
        raise DomainError(_("Say who applies (the firm, or its contact person)."), field="applicant")
    if not statement:
        raise DomainError(_("Say what the firm corrected, and what it commits to."), field="statement")
    today = timezone.localdate()
    if actor is not None and not manages_line(actor, line):
        raise PermissionDenied(_("Only the result's department records credit repair applications for it."))
    applied_on = today if actor is None else (applied_on or today)
    if applied_on > today:
        raise DomainError(_("The day of the application cannot be in the future."), field="applied_on")
    with transaction.atomic():
        line = locked(line)
        _require_repairable(line, applied_on)
        if line.repairs.filter(decision=Decision.PENDING).exists():
            raise DomainError(_("A credit repair application for this result is already being examined."))
        repair = CreditRepair.objects.create(
            line=line,
            channel=Channel.CHECK_CODE if actor is None else Channel.COUNTER,
            applicant=applicant,
            phone=(phone or "").strip()[:30],
            statement=statement,
            applied_on=applied_on,
            recorded_by=actor,
        )
        record(
            actor,
            "inspections.repair.applied",
            line,
            data={"via": repair.channel, "repair": repair.pk, "applied_on": applied_on},
            department_id=line.department_id,
        )
    return repair


def repair_decide(*, actor, repair: CreditRepair, grant: bool, answer: str) -> CreditRepair:
    answer = (answer or "").strip()[:TEXT_MAX]
    if not manages_line(actor, repair.line):
        raise PermissionDenied(_("Only the result's department decides credit repair for it."))
    if not answer:
        raise DomainError(_("Write the answer to the firm."), field="answer")
    with transaction.atomic():
        repair = CreditRepair.objects.select_for_update().select_related("line").get(pk=repair.pk)
        if repair.decision != Decision.PENDING:
            raise DomainError(_("This application has already been decided."))
        line = locked(repair.line)
        if grant:
            _require_repairable(line, timezone.localdate())
            DisplayEnd.objects.create(line=line, reason=DisplayEndReason.REPAIR, repair=repair)
        repair.decision = Decision.APPROVED if grant else Decision.REFUSED
        repair.answer, repair.decided_by, repair.decided_at = answer, actor, timezone.now()
        repair.save(update_fields=["decision", "answer", "decided_by", "decided_at"])
        record(
            actor,
            "inspections.repair.decided",
            line,
            changes={"decision": [Decision.PENDING, repair.decision]},
            data={"repair": repair.pk, "answer": answer, "display_ended": grant},
            department_id=line.department_id,
        )
    return repair


def end_expired_displays(*, today: date) -> int:
    """End the public display of every negative result whose period ran out by ``today``; audited one
    by one (no actor: the daily task). Returns how many ended."""
    rules = {
        r.result_code_id: r for r in DisplayRule.objects.filter(negative=True, display_months__isnull=False)
    }
    if not rules:
        return 0
    lines = (
        VisitItem.objects.filter(status=ResultStatus.PUBLISHED, display_end__isnull=True)
        .select_related("result_code")
        .prefetch_related(
            Prefetch("corrections", queryset=ResultCorrection.objects.order_by("created_at", "pk"))
        )
        .order_by("published_at", "pk")
    )
    ended = 0
    for line in lines.iterator(chunk_size=2000):
        code = line.current_code
        rule = rules.get(code.pk) if code else None
        until = display_until(line, rule) if rule else None
        if until is None or today <= until:
            continue
        with transaction.atomic():
            if DisplayEnd.objects.filter(line=line).exists():
                continue
            DisplayEnd.objects.create(line=line, reason=DisplayEndReason.PERIOD)
            record(
                None,
                "inspections.result.display_ended",
                line,
                data={
                    "reason": DisplayEndReason.PERIOD,
                    "result": code.label,
                    "months": rule.display_months,
                    "shown_until": until,
                },
                department_id=line.department_id,
            )
        ended += 1
    return ended
