"""What the firm does through its check code (亮码入企): confirm and rate the visit, ask for an officer's
withdrawal (回避申请); and the department's decision on that request.

The firm has no account: holding the code (shown to it by the officers, printed on the notice) is what
lets it speak about this one visit. Its writes are audited with no actor ("system") and ``via`` the
check code; nothing it sends can reach another visit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import in_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draws.models import ReplacementReason, Team
from fairspot.draws.replacements import replace_officer
from fairspot.holidays.workdays import add_working_days_marked
from fairspot.inspections.models import (
    ResultStatus,
    Visit,
    VisitFeedback,
    VisitStatus,
    WithdrawalDecision,
    WithdrawalRequest,
)
from fairspot.inspections.services.approvals import is_approved

WITHDRAWAL_WORKING_DAYS = 3  # the department decides a withdrawal request within 3 working days
COMMENT_MAX = 1000


class CheckState:
    """What a check code stands for right now, as the public page says it."""

    ACTIVE = "active"  # approved, planned: the officers may be at the door
    NOT_APPROVED = "not_approved"
    FINISHED = "finished"
    CANCELLED = "cancelled"  # the visit was replaced by an alternate target


def check_state(visit: Visit) -> str:
    """Cancelled, finished (also a visit finished before approvals existed), not approved, or active."""
    if visit.status == VisitStatus.REPLACED:
        return CheckState.CANCELLED
    if visit.status == VisitStatus.DONE:
        return CheckState.FINISHED
    if not is_approved(visit):
        return CheckState.NOT_APPROVED
    return CheckState.ACTIVE


def field_work_begun(visit: Visit) -> bool:
    return visit.status != VisitStatus.PLANNED or (
        visit.lines.filter(recorded_at__isnull=False).exists()
        or visit.lines.exclude(status=ResultStatus.NOT_ENTERED).exists()
    )


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def feedback_give(*, visit: Visit, took_place: bool, rating: int, comment: str = "") -> VisitFeedback:
    """The firm confirms (or denies) that the visit took place, rates it 1–5 and may comment; once."""
    comment = (comment or "").strip()[:COMMENT_MAX]
    if rating not in range(1, 6):
        raise DomainError(_("Rate the check from 1 to 5."), field="rating")
    if not took_place and not comment:
        raise DomainError(_("Say what happened if the visit did not take place."), field="comment")
    with transaction.atomic():
        visit = _locked(visit)
        state = check_state(visit)
        if state in (CheckState.CANCELLED, CheckState.NOT_APPROVED):
            raise DomainError(_("This check code is not valid for a visit: nothing can be confirmed."))
        if visit.inspection_date > timezone.localdate():
            raise DomainError(
                _("The visit is planned for %(day)s; it can be confirmed and rated from that day on.")
                % {"day": visit.inspection_date.isoformat()}
            )
        if VisitFeedback.objects.filter(visit=visit).exists():
            raise DomainError(_("The firm has already confirmed and rated this visit."))
        feedback = VisitFeedback.objects.create(
            visit=visit, took_place=took_place, rating=rating, comment=comment
        )
        record(
            None,
            "inspections.feedback.given",
            visit,
            data={"via": "check code", "took_place": took_place, "rating": rating, "comment": comment},
        )
    return feedback


def withdrawal_request(*, visit: Visit, inspector_id, reason: str) -> WithdrawalRequest:
    """The firm asks that an officer of the team withdraw (回避), with its reason, before the field work."""
    reason = (reason or "").strip()[:COMMENT_MAX]
    if not reason:
        raise DomainError(_("Give the reason for the withdrawal request."), field="reason")
    with transaction.atomic():
        visit = _locked(visit)
        state = check_state(visit)
        if state != CheckState.ACTIVE:
            raise DomainError(
                _("A withdrawal can be asked for only before and during an approved visit, not after it.")
            )
        if field_work_begun(visit):
            raise DomainError(
                _("The field work of this visit has begun: a withdrawal can no longer be asked for here.")
            )
        inspector = visit.members.filter(pk=inspector_id).first() if str(inspector_id).isdigit() else None
        if inspector is None:
            raise DomainError(_("Choose an officer of this visit's team."), field="inspector")
        if WithdrawalRequest.objects.filter(
            visit=visit, inspector=inspector, decision=WithdrawalDecision.PENDING
        ).exists():
            raise DomainError(_("A withdrawal request for this officer is already waiting for a decision."))
        due, _provisional = add_working_days_marked(timezone.localdate(), WITHDRAWAL_WORKING_DAYS)
        request = WithdrawalRequest.objects.create(visit=visit, inspector=inspector, reason=reason, due=due)
        record(
            None,
            "inspections.withdrawal.requested",
            visit,
            data={"via": "check code", "officer": inspector.staff_no, "reason": reason, "due": due},
        )
    return request


def _team_of(request: WithdrawalRequest) -> Team | None:
    return (
        Team.objects.filter(
            draw__in=request.visit.draws.all(),
            target_id=request.visit.target_id,
            current=True,
            members=request.inspector,
        )
        .select_related("draw__task")
        .order_by("draw_id")
        .first()
    )


def can_decide_withdrawal(user, request: WithdrawalRequest) -> bool:
    """An administrator of the department whose drawn team the officer is on, or the office."""
    if not (user.is_authenticated and user.can_manage):
        return False
    team = _team_of(request)
    department_id = team.draw.task.department_id if team else request.visit.department_id
    return in_department(user, department_id)


def withdrawal_decide(
    *, actor, request: WithdrawalRequest, grant: bool, answer: str = ""
) -> WithdrawalRequest:
    """Grant (the draw's replacement rule picks who comes in) or refuse (with an answer) a request."""
    if not can_decide_withdrawal(actor, request):
        raise PermissionDenied(_("Only the department whose team the officer is on decides this request."))
    answer = (answer or "").strip()
    if not grant and not answer:
        raise DomainError(_("Say why the request is refused; the firm reads the answer."), field="answer")
    with transaction.atomic():
        request = (
            WithdrawalRequest.objects.select_for_update()
            .select_related("visit", "inspector")
            .get(pk=request.pk)
        )
        if request.decision != WithdrawalDecision.PENDING:
            raise DomainError(_("This request has already been decided."))
        newcomer = None
        if grant:
            if request.visit.status != VisitStatus.PLANNED:
                raise DomainError(_("The visit is no longer planned; its team cannot change."))
            team = _team_of(request)
            if team is None:
                raise DomainError(_("The officer is no longer on a drawn team of this visit."))
            replacement = replace_officer(
                actor=actor,
                team=team,
                officer=request.inspector,
                reason=ReplacementReason.WITHDRAWAL,
                note=_("Withdrawal requested by the firm: %(reason)s") % {"reason": request.reason},
            )
            newcomer = replacement.officer_in
        request.decision = WithdrawalDecision.GRANTED if grant else WithdrawalDecision.REFUSED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.answer, request.replaced_by = answer, newcomer
        request.save(update_fields=["decision", "decided_by", "decided_at", "answer", "replaced_by"])
        record(
            actor,
            "inspections.withdrawal.decided",
            request.visit,
            changes={"decision": [WithdrawalDecision.PENDING, request.decision]},
            data={
                "officer": request.inspector.staff_no,
                "replaced_by": newcomer.staff_no if newcomer else "",
                "answer": answer,
                "late": timezone.localdate() > request.due,
            },
        )
    return request
