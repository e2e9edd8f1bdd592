"""回避申请: the firms' withdrawal requests reaching the department, decided within the deadline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.inspections import services
from fairspot.inspections.models import WithdrawalDecision, WithdrawalRequest
from fairspot.inspections.selectors import visits_for

WITHDRAWAL_HEADER = [
    "统一社会信用代码",
    "检查对象",
    "检查日期",
    "申请回避的检查人员",
    "理由",
    "申请时间",
    "决定期限",
    "决定",
    "替换为",
    "答复",
    "决定人",
    "决定时间",
]


def withdrawals_for(user):
    return (
        WithdrawalRequest.objects.filter(visit__in=visits_for(user).values("pk"))
        .select_related("visit", "visit__target", "inspector", "replaced_by", "decided_by")
        .order_by("decision", "due", "-requested_at")
    )


def _row(w: WithdrawalRequest) -> list:
    return [
        w.visit.target.identifier,
        w.visit.target.name,
        w.visit.inspection_date,
        f"{w.inspector.name}（{w.inspector.staff_no}）",
        w.reason,
        timezone.localtime(w.requested_at).strftime("%Y-%m-%d %H:%M"),
        w.due,
        w.get_decision_display(),
        w.replaced_by.name if w.replaced_by else "",
        w.answer,
        w.decided_by.get_username() if w.decided_by else "",
        timezone.localtime(w.decided_at).strftime("%Y-%m-%d %H:%M") if w.decided_at else "",
    ]


@login_required
def withdrawals(request):
    qs = withdrawals_for(request.user)
    fmt = request.GET.get("export")
    if fmt:
        return export_response("withdrawal-requests", WITHDRAWAL_HEADER, (_row(w) for w in qs), fmt)
    today = timezone.localdate()
    rows = [
        {
            "w": w,
            "may_decide": w.decision == WithdrawalDecision.PENDING
            and services.can_decide_withdrawal(request.user, w),
            "overdue": w.decision == WithdrawalDecision.PENDING and w.due < today,
        }
        for w in qs[:500]
    ]
    return render(request, "inspections/withdrawals.html", {"rows": rows, "params": "", "today": today})


@login_required
@require_POST
def withdrawal_decide(request, pk: int):
    pending = get_object_or_404(withdrawals_for(request.user), pk=pk)
    grant = request.POST.get("decision") == "grant"
    actions.run(
        request,
        lambda: services.withdrawal_decide(
            actor=request.user, request=pending, grant=grant, answer=request.POST.get("answer", "")
        ),
        success=_("Granted: the draw's replacement rule chose who joins the team.")
        if grant
        else _("Refused; the firm sees the answer on its check-code page."),
    )
    return redirect("inspections:withdrawals")
