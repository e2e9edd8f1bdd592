"""检查审批: no check starts before the department's approver has approved it, with its legal basis.

A draw's visits are approved together (a batch approval of the draw); a case-driven check (``cases``)
has its own approval. The field work of a visit (records, evidence, quiz scores, results, its end)
is refused until every draw the visit comes from is approved (``require_approved``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draws.models import Draw, DrawStatus
from fairspot.inspections.annual_cap import checks_in_year
from fairspot.inspections.models import ApprovalKind, CheckApproval, Visit


def _basis(legal_basis: str) -> str:
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise DomainError(
            _("Name the legal basis of the check (the law and article that allow it)."), field="legal_basis"
        )
    return legal_basis


def suggested_basis(draw: Draw) -> str:
    """The legal bases of the draw's items, one per line: what the approver usually confirms."""
    seen: list[str] = []
    for item in draw.task.items.order_by("code"):
        basis = (item.legal_basis or "").strip()
        if basis and basis not in seen:
            seen.append(basis)
    return "\n".join(seen)


def draw_approve(*, actor, draw: Draw, legal_basis: str, note: str = "") -> CheckApproval:
    """Approve the checks of every visit of a revealed draw at once (batch approval)."""
    require_department(actor, draw.task.department_id)
    legal_basis = _basis(legal_basis)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task").get(pk=draw.pk)
        if draw.status != DrawStatus.REVEALED:
            raise DomainError(_("Only the checks of a revealed draw can be approved."))
        if CheckApproval.objects.filter(draw=draw).exists():
            raise DomainError(_("The checks of draw %(id)s are already approved.") % {"id": draw.draw_id})
        approval = CheckApproval.objects.create(
            kind=ApprovalKind.DRAW,
            department=draw.task.department,
            draw=draw,
            subject=f"{draw.draw_id} · {draw.task.title}"[:200],
            legal_basis=legal_basis,
            note=(note or "").strip(),
            approved_by=actor,
        )
        record(
            actor,
            "inspections.check.approved",
            approval,
            data={
                "kind": ApprovalKind.DRAW,
                "draw": draw.draw_id,
                "task": draw.task.code,
                "legal_basis": legal_basis,
                "note": approval.note,
                "targets": draw.drawn.filter(alternate=False).count(),
            },
        )
    return approval


def _over_cap(target, reason: str) -> tuple[int | None, str]:
    """(checks this year, reason) when ``target`` is at the district's cap; refused without a reason."""
    cap = settings.FAIRSPOT_FIRM_ANNUAL_CAP
    if target is None or cap <= 0:
        return None, ""
    count = checks_in_year(timezone.localdate().year, targets=[target.pk])[target.pk]
    if count < cap:
        return None, ""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _(
                "%(name)s has been checked %(n)s times this year, the district's annual cap per firm. "
                "Say why this check is needed all the same; the reason is recorded."
            )
            % {"name": target.name, "n": count},
            field="over_cap_reason",
        )
    return count, reason


def case_check_approve(
    *,
    actor,
    department,
    subject: str,
    legal_basis: str,
    note: str = "",
    target=None,
    over_cap_reason: str = "",
) -> CheckApproval:
    """Approve one case-driven check (a lead's check), for the department that handles it."""
    require_department(actor, department.pk)
    legal_basis = _basis(legal_basis)
    count, over_cap_reason = _over_cap(target, over_cap_reason)
    with transaction.atomic():
        approval = CheckApproval.objects.create(
            over_cap_reason=over_cap_reason,
            kind=ApprovalKind.CASE,
            department=department,
            subject=subject[:200],
            target=target,
            legal_basis=legal_basis,
            note=(note or "").strip(),
            approved_by=actor,
        )
        record(
            actor,
            "inspections.check.approved",
            approval,
            data={
                "kind": ApprovalKind.CASE,
                "subject": subject,
                "target": target.identifier if target is not None else "",
                "legal_basis": legal_basis,
                "checks_this_year": count,
                "over_cap_reason": over_cap_reason,
            },
        )
    return approval


def unapproved_draws(visit: Visit) -> list[Draw]:
    return list(visit.draws.filter(check_approval__isnull=True).order_by("draw_id"))


def is_approved(visit: Visit) -> bool:
    """Every draw the visit comes from is approved (a visit with no draw is not)."""
    draws = visit.draws.all()
    return draws.exists() and not draws.filter(check_approval__isnull=True).exists()


def require_approved(visit: Visit) -> None:
    """Refuse field work on a visit whose check is not approved."""
    if is_approved(visit):
        return
    waiting = "、".join(d.draw_id for d in unapproved_draws(visit)) or "—"
    raise DomainError(
        _(
            "The check of this visit has not been approved (检查审批): the department's approver approves "
            "draw %(draws)s with its legal basis before the field work starts. Nothing was recorded."
        )
        % {"draws": waiting}
    )
