"""不予公示: a result is kept from the public only on a legal basis and with the office's approval.

A department administrator (or the office) asks, for an approved result, naming the legal basis and the
reason; somebody of the office other than the requester approves or refuses. Approved, the result is
``withheld``: it is settled (off the overdue list and the reminders), public pages count it as withheld
and never show it. Refused, the department publishes it as usual.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_manager
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.inspections.models import Decision, ResultStatus, VisitItem, Withholding
from fairspot.inspections.services.lines import locked
from fairspot.inspections.services.rules import require_line_department

MIN_BASIS = 6  # characters: an article of a law or rule, not "yes"


def can_decide_withholding(user) -> bool:
    """The joint-meeting office decides (a role that sees every department and manages)."""
    return user.is_authenticated and user.can_manage and user.sees_all_departments


def withhold_request(*, actor, line: VisitItem, legal_basis: str, reason: str) -> Withholding:
    require_manager(actor)
    legal_basis, reason = (legal_basis or "").strip(), (reason or "").strip()
    if len(legal_basis) < MIN_BASIS:
        raise DomainError(
            _("Name the legal basis (the law or rule, and its article) for not publishing this result."),
            field="legal_basis",
        )
    if not reason:
        raise DomainError(_("Say why publishing this result is not appropriate."), field="reason")
    with transaction.atomic():
        line = locked(line)
        require_line_department(actor, line)
        if line.status != ResultStatus.APPROVED:
            raise DomainError(
                _("Only a reviewed (approved) result not yet published can be withheld from publication.")
            )
        if line.withholdings.filter(decision=Decision.PENDING).exists():
            raise DomainError(_("A request not to publish this result is already waiting for the office."))
        request = Withholding.objects.create(
            line=line, legal_basis=legal_basis, reason=reason, requested_by=actor
        )
        record(
            actor,
            "inspections.withholding.requested",
            line,
            data={"legal_basis": legal_basis, "reason": reason, "request": request.pk},
            department_id=line.department_id,
        )
    return request


def withhold_decide(*, actor, request: Withholding, approve: bool, note: str = "") -> Withholding:
    if not can_decide_withholding(actor):
        raise PermissionDenied(_("Only the joint-meeting office decides whether a result is not published."))
    note = (note or "").strip()[:500]
    if not approve and not note:
        raise DomainError(_("Say why the request is refused; the department reads it."), field="note")
    with transaction.atomic():
        request = Withholding.objects.select_for_update().get(pk=request.pk)
        if request.decision != Decision.PENDING:
            raise DomainError(_("This request has already been decided."))
        if request.requested_by_id == actor.pk:
            raise DomainError(_("Somebody other than the requester decides this request."))
        line = locked(request.line)
        if approve:
            if line.status != ResultStatus.APPROVED:
                raise DomainError(
                    _("The result is no longer waiting for publication; it cannot be withheld.")
                )
            VisitItem.objects.filter(pk=line.pk).update(
                status=ResultStatus.WITHHELD, version=line.version + 1
            )
        request.decision = Decision.APPROVED if approve else Decision.REFUSED
        request.decided_by, request.decided_at, request.note = actor, timezone.now(), note
        request.save(update_fields=["decision", "decided_by", "decided_at", "note"])
        record(
            actor,
            "inspections.withholding.decided",
            line,
            changes={"status": [ResultStatus.APPROVED, ResultStatus.WITHHELD]} if approve else None,
            data={"decision": request.decision, "legal_basis": request.legal_basis, "note": note},
            department_id=line.department_id,
        )
    return request
