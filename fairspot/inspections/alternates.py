"""Inspecting the next alternate instead of a drawn target needs two officers (双人确认).

``alternate_request``: an officer of the visit says why the drawn target cannot be inspected (closed,
moved, deregistered). ``alternate_decide``: a second officer — an administrator of one of the visit's
departments or the office, never the one who asked — approves (then the protocol's rule picks the
alternate: the lowest-ranked unused alternate of the stratum, ``visit_replace_target``) or refuses with
a note. Both steps are audited; the request stays on the visit page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import in_any_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import AlternateRequest, ResultStatus, Visit, VisitStatus
from fairspot.inspections.services.rules import require_record, visit_department_ids
from fairspot.inspections.services.visits import visit_replace_target


def can_decide(user, request: AlternateRequest) -> bool:
    if not (user.is_authenticated and user.can_manage) or user.pk == request.requested_by_id:
        return False
    return in_any_department(user, visit_department_ids(request.visit))


def alternate_request(*, actor, visit: Visit, reason: str) -> AlternateRequest:
    require_record(actor, visit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the drawn target cannot be inspected."), field="reason")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.status != VisitStatus.PLANNED:
            raise DomainError(_("Only a planned visit can move to an alternate target."))
        if visit.lines.exclude(status=ResultStatus.NOT_ENTERED).exists():
            raise DomainError(_("Results have been entered for this visit; it cannot be replaced."))
        if visit.alternate_requests.filter(decision=AlternateRequest.Decision.PENDING).exists():
            raise DomainError(_("A request for this visit is already waiting for a second officer."))
        request = AlternateRequest.objects.create(visit=visit, reason=reason, requested_by=actor)
        record(
            actor, "inspections.alternate.requested", visit, data={"reason": reason, "request": request.pk}
        )
    return request


def alternate_decide(*, actor, request: AlternateRequest, approve: bool, note: str = "") -> Visit:
    """Approve (the alternate replaces the target; returns the new visit) or refuse (returns the visit)."""
    note = (note or "").strip()
    with transaction.atomic():
        request = AlternateRequest.objects.select_for_update().select_related("visit").get(pk=request.pk)
        if request.decision != AlternateRequest.Decision.PENDING:
            raise DomainError(_("This request has already been decided."))
        if actor.pk == request.requested_by_id:
            raise DomainError(_("A second officer must decide; you made this request."))
        if not can_decide(actor, request):
            raise PermissionDenied(
                _("Only an administrator of the visit's departments or the office decides.")
            )
        if not approve and not note:
            raise DomainError(_("Say why the request is refused."), field="note")
        request.decided_by, request.decided_at, request.note = actor, timezone.now(), note
        if approve:
            new = visit_replace_target(
                actor=actor, visit=request.visit, reason=request.reason, requested_by=request.requested_by
            )
            request.decision = AlternateRequest.Decision.APPROVED
        else:
            new = request.visit
            request.decision = AlternateRequest.Decision.REFUSED
        request.save(update_fields=["decided_by", "decided_at", "note", "decision"])
        record(
            actor,
            "inspections.alternate.decided",
            request.visit,
            changes={"decision": [AlternateRequest.Decision.PENDING, request.decision]},
            data={"request": request.pk, "note": note, "requested_by": request.requested_by.get_username()},
        )
    return new
