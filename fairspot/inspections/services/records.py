"""The field record of one visit item: method, an answer per checklist point, findings, confirmation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import ResultStatus, VisitItem
from fairspot.inspections.services.approvals import require_approved
from fairspot.inspections.services.lines import locked, require_two_officers, save_versioned
from fairspot.inspections.services.rules import require_record

ANSWERS = ("yes", "no", "na", "")


def record_save(
    *,
    actor,
    line: VisitItem,
    version: int,
    method_code: str | None,
    answers: list[dict],
    findings: str,
    confirmed_by=(),
) -> VisitItem:
    """Save the field record of one item: method, an answer per checklist point, findings, confirmation."""
    require_record(actor, line.visit)
    with transaction.atomic():
        line = locked(line)
        visit = line.visit
        require_two_officers(visit)
        require_approved(visit)
        if line.status in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
            raise DomainError(_("The result is approved; the field record can no longer change."))
        allowed = line.item.method_codes
        if method_code and allowed and method_code not in allowed:
            raise DomainError(
                _("Method %(code)s is not permitted for item %(item)s (permitted: %(allowed)s).")
                % {"code": method_code, "item": line.item.code, "allowed": ", ".join(allowed)},
                field="method",
            )
        points = line.item.checklist_points
        if len(answers) != len(points):
            raise DomainError(_("Answer every checklist point of the item."), field="answers")
        clean = []
        for point, answer in zip(points, answers, strict=True):
            if answer.get("answer", "") not in ANSWERS:
                raise DomainError(_("Unknown answer %(a)s.") % {"a": answer.get("answer")}, field="answers")
            clean.append({"point": point, "answer": answer.get("answer", ""), "note": answer.get("note", "")})
        members = {m.pk for m in visit.members.all()}
        confirmed = list(confirmed_by)
        if any(c.pk not in members for c in confirmed):
            raise DomainError(_("Only the team's officers confirm the record."), field="confirmed_by")
        before = {"method": line.method_id, "findings": line.findings, "answers": line.answers}
        line = save_versioned(
            line,
            version,
            method_id=method_code or None,
            answers=clean,
            findings=findings.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        line.confirmed_by.set(confirmed)
        after = {"method": line.method_id, "findings": line.findings, "answers": line.answers}
        record(
            actor,
            "inspections.record.saved",
            line,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            data={"version": line.version, "confirmed_by": sorted(c.staff_no for c in confirmed)},
            department_id=line.department_id,
        )
    return line
