"""Publication of an approved result, and the visible correction of a published one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_manager
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import ResultCorrection, ResultStatus, VisitItem, VisitStatus
from fairspot.inspections.services.lines import locked, save_versioned
from fairspot.inspections.services.results import check_result_code
from fairspot.inspections.services.rules import require_line_department


def result_publish(*, actor, line: VisitItem, version: int) -> VisitItem:
    require_manager(actor)
    with transaction.atomic():
        line = locked(line)
        require_line_department(actor, line)
        if line.status != ResultStatus.APPROVED:
            raise DomainError(_("Only an approved result is published."))
        if line.visit.status != VisitStatus.DONE or line.visit.end_date is None:
            raise DomainError(_("Record the end of the inspection before publishing its results."))
        line = save_versioned(
            line, version, status=ResultStatus.PUBLISHED, published_by=actor, published_at=timezone.now()
        )
        record(
            actor,
            "inspections.result.published",
            line,
            changes={"status": [ResultStatus.APPROVED, ResultStatus.PUBLISHED]},
            data={
                "result": line.result_code.label,
                "deadline": line.visit.deadline,
                "late": bool(line.visit.deadline and timezone.localdate() > line.visit.deadline),
                "entered_by": line.entered_by.get_username() if line.entered_by else "",
            },
            department_id=line.department_id,
        )
    return line


def result_correct(*, actor, line: VisitItem, result_code, remarks: str, reason: str) -> ResultCorrection:
    """Correct a published result: a new, visible correction record; the published original stays."""
    require_manager(actor)
    check_result_code(result_code)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the published result is corrected."), field="reason")
    with transaction.atomic():
        line = locked(line)
        require_line_department(actor, line)
        if line.status != ResultStatus.PUBLISHED:
            raise DomainError(_("Only a published result is corrected; change an unpublished one directly."))
        before = line.current_code
        correction = ResultCorrection.objects.create(
            line=line, result_code=result_code, remarks=remarks.strip(), reason=reason, created_by=actor
        )
        VisitItem.objects.filter(pk=line.pk).update(version=F("version") + 1)
        record(
            actor,
            "inspections.result.corrected",
            line,
            changes={"result": [before.label if before else "", result_code.label]},
            data={"reason": reason, "correction": correction.pk},
            department_id=line.department_id,
        )
    return correction
