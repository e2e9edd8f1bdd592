"""检查审批: the register of check approvals (with its export) and the batch approval of a draw."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.accounts.scoping import scope_to_department
from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.draws.models import DrawStatus
from fairspot.draws.selectors import draws_for
from fairspot.inspections import services
from fairspot.inspections.models import CheckApproval

APPROVAL_HEADER = ["审批类型", "部门", "审批事项", "检查依据", "备注", "审批人", "审批时间"]


def _row(a: CheckApproval) -> list:
    return [
        a.get_kind_display(),
        a.department.name,
        a.subject,
        a.legal_basis,
        a.note,
        a.approved_by.get_full_name() or a.approved_by.get_username(),
        timezone.localtime(a.approved_at).strftime("%Y-%m-%d %H:%M"),
    ]


def approvals_for(user):
    qs = CheckApproval.objects.select_related("department", "approved_by", "draw")
    return scope_to_department(user, qs)


@login_required
def approvals(request):
    user = request.user
    qs = approvals_for(user)
    fmt = request.GET.get("export")
    if fmt:
        return export_response("check-approvals", APPROVAL_HEADER, (_row(a) for a in qs), fmt)
    waiting = []
    if user.can_manage:
        draws = (
            draws_for(user)
            .filter(status=DrawStatus.REVEALED, check_approval__isnull=True)
            .select_related("task")
            .order_by("-revealed_at")[:50]
        )
        waiting = [(d, services.suggested_basis(d)) for d in draws]
    return render(
        request,
        "inspections/approvals.html",
        {"approvals": qs[:500], "waiting": waiting, "params": ""},
    )


@login_required
@require_POST
def approve_draw(request):
    draw = get_object_or_404(draws_for(request.user), draw_id=request.POST.get("draw_id", ""))
    actions.run(
        request,
        lambda: services.draw_approve(
            actor=request.user,
            draw=draw,
            legal_basis=request.POST.get("legal_basis", ""),
            note=request.POST.get("note", ""),
        ),
        success=_("The checks of draw %(id)s are approved; their visits may start.") % {"id": draw.draw_id},
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("inspections:approvals")
