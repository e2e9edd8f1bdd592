"""Results: entered (or re-entered after a return) by the team, then approved or returned by a reviewer."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_manager
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import RESULT_SCHEME, ResultStatus, Review, VisitItem, VisitStatus
from fairspot.inspections.services.approvals import require_approved
from fairspot.inspections.services.lines import locked, require_two_officers, save_versioned
from fairspot.inspections.services.rules import require_line_department, require_record


def check_result_code(result_code) -> None:
    if result_code is None:
        raise DomainError(_("Choose a result."), field="result_code")
    if result_code.scheme != RESULT_SCHEME:
        raise DomainError(_("Use the standard result categories."), field="result_code")
    from fairspot.reference.models import ResultCode

    if ResultCode.objects.filter(scheme=RESULT_SCHEME, parent_code=result_code.code).exists():
        raise DomainError(
            _("“%(label)s” is a heading; choose the kind of rule broken.") % {"label": result_code.label},
            field="result_code",
        )


def result_enter(*, actor, line: VisitItem, version: int, result_code, remarks: str = "") -> VisitItem:
    """Enter (or re-enter after a return) the result of one item; it then awaits review."""
    require_record(actor, line.visit)
    check_result_code(result_code)
    with transaction.atomic():
        line = locked(line)
        require_two_officers(line.visit)
        require_approved(line.visit)
        if line.visit.status == VisitStatus.REPLACED:
            raise DomainError(_("This visit was replaced by an alternate target."))
        if line.visit.inspection_date > timezone.localdate():
            raise DomainError(
                _("The inspection is planned for %(day)s: its result can be entered from that day on.")
                % {"day": line.visit.inspection_date.isoformat()}
            )
        if line.status in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
            raise DomainError(
                _(
                    "The result is already approved or published; a published result changes only "
                    "through a correction."
                )
            )
        before = {"result_code": line.result_code_id, "remarks": line.remarks, "status": line.status}
        line = save_versioned(
            line,
            version,
            result_code=result_code,
            remarks=remarks.strip(),
            status=ResultStatus.ENTERED,
            entered_by=actor,
            entered_at=timezone.now(),
        )
        after = {"result_code": line.result_code_id, "remarks": line.remarks, "status": line.status}
        record(
            actor,
            "inspections.result.entered",
            line,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            data={"result": result_code.label, "version": line.version},
            department_id=line.department_id,
        )
    return line


def result_review(*, actor, line: VisitItem, version: int, approve: bool, opinion: str = "") -> VisitItem:
    require_manager(actor)
    with transaction.atomic():
        line = locked(line)
        require_line_department(actor, line)
        if line.entered_by_id == actor.pk:
            raise DomainError(_("The person who entered a result does not review it."))
        if line.status != ResultStatus.ENTERED:
            raise DomainError(_("Only an entered result awaiting review can be reviewed."))
        opinion = opinion.strip()
        if not approve and not opinion:
            raise DomainError(_("Say why the result is returned."), field="opinion")
        status = ResultStatus.APPROVED if approve else ResultStatus.RETURNED
        line = save_versioned(line, version, status=status, reviewed_by=actor, reviewed_at=timezone.now())
        Review.objects.create(
            line=line,
            decision=Review.Decision.APPROVED if approve else Review.Decision.RETURNED,
            opinion=opinion,
            reviewer=actor,
        )
        record(
            actor,
            "inspections.result.approved" if approve else "inspections.result.returned",
            line,
            changes={"status": [ResultStatus.ENTERED, status]},
            data={"opinion": opinion},
            department_id=line.department_id,
        )
    return line
