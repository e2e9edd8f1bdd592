"""Publication governance on the staff side: ask not to publish a result (不予公示), record objections (异议)
and credit repair applications (信用修复) received at the counter, and the page where the office and the
departments decide them, with the lists in Excel and CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.core.errors import DomainError
from fairspot.core.exporting import export_response
from fairspot.inspections import services
from fairspot.inspections.models import Decision, DisplayRule, ObjectionDecision
from fairspot.inspections.publicity_forms import (
    CounterObjectionForm,
    CounterRepairForm,
    ObjectionAnswerForm,
    WithholdForm,
)
from fairspot.inspections.selectors import publicity_queues
from fairspot.inspections.views.lines import _line_post


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _who(user) -> str:
    return user.get_username() if user else ""


def _target(row) -> list:
    line = row.line
    return [line.visit.target.identifier, line.visit.target.name, f"{line.item.code} {line.item.name}"]


EXPORTS = {
    "withholdings": (
        "withheld-results",
        [
            "统一社会信用代码",
            "检查对象",
            "检查事项",
            "法律依据",
            "理由",
            "申请人",
            "申请时间",
            "决定",
            "决定人",
            "决定时间",
            "意见",
        ],
        lambda w: [
            *_target(w),
            w.legal_basis,
            w.reason,
            _who(w.requested_by),
            _when(w.requested_at),
            w.get_decision_display(),
            _who(w.decided_by),
            _when(w.decided_at),
            w.note,
        ],
    ),
    "objections": (
        "objections",
        [
            "统一社会信用代码",
            "检查对象",
            "检查事项",
            "渠道",
            "异议人",
            "电话",
            "异议内容",
            "收到日期",
            "逾期提出",
            "答复期限",
            "处理结果",
            "答复",
            "答复人",
            "答复时间",
        ],
        lambda o: [
            *_target(o),
            o.get_channel_display(),
            o.applicant,
            o.phone,
            o.content,
            o.received_on,
            "是" if o.late else "否",
            o.due,
            o.get_decision_display(),
            o.answer,
            _who(o.decided_by),
            _when(o.decided_at),
        ],
    ),
    "repairs": (
        "credit-repairs",
        [
            "统一社会信用代码",
            "检查对象",
            "检查事项",
            "渠道",
            "申请人",
            "电话",
            "整改情况和承诺",
            "申请日期",
            "决定",
            "答复",
            "决定人",
            "决定时间",
        ],
        lambda r: [
            *_target(r),
            r.get_channel_display(),
            r.applicant,
            r.phone,
            r.statement,
            r.applied_on,
            r.get_decision_display(),
            r.answer,
            _who(r.decided_by),
            _when(r.decided_at),
        ],
    ),
}


@login_required
def publicity(request):
    queues = publicity_queues(request.user)
    which = request.GET.get("list", "")
    fmt = request.GET.get("export")
    if fmt and which in EXPORTS:
        name, header, row = EXPORTS[which]
        return export_response(name, header, (row(x) for x in queues[which].iterator()), fmt)
    today = timezone.localdate()
    office = services.can_decide_withholding(request.user)
    return render(
        request,
        "inspections/publicity.html",
        {
            "withholdings": [
                (w, office and w.decision == Decision.PENDING and w.requested_by_id != request.user.pk)
                for w in queues["withholdings"][:200]
            ],
            "objections": [
                (o, o.decision == ObjectionDecision.PENDING and services.manages_line(request.user, o.line))
                for o in queues["objections"][:200]
            ],
            "repairs": [
                (r, r.decision == Decision.PENDING and services.manages_line(request.user, r.line))
                for r in queues["repairs"][:200]
            ],
            "answer_form": ObjectionAnswerForm(),
            "rules": DisplayRule.objects.select_related("result_code").filter(negative=True),
            "today": today,
            "office": office,
        },
    )


def _decide(request, fn, success: str):
    actions.run(request, fn, success=success)
    return redirect("inspections:publicity")


@login_required
@require_POST
def withholding_decide(request, pk: int):
    item = get_object_or_404(publicity_queues(request.user)["withholdings"], pk=pk)
    approve = request.POST.get("decision") == "approve"
    return _decide(
        request,
        lambda: services.withhold_decide(
            actor=request.user, request=item, approve=approve, note=request.POST.get("note", "")
        ),
        _("Approved: the result is not published, and no longer counts as overdue.")
        if approve
        else _("Refused: the department publishes the result."),
    )


@login_required
@require_POST
def objection_answer(request, pk: int):
    item = get_object_or_404(publicity_queues(request.user)["objections"], pk=pk)
    form = ObjectionAnswerForm(request.POST)
    uphold = request.POST.get("decision") == "uphold"

    def act():
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        return services.objection_answer(
            actor=request.user,
            objection=item,
            uphold=uphold,
            answer=form.cleaned_data["answer"],
            result_code=form.cleaned_data["result_code"],
        )

    return _decide(
        request,
        act,
        _("Upheld: the result is corrected, visibly, on the public pages.")
        if uphold
        else _("Answered; the firm reads the answer on its check-code page."),
    )


@login_required
@require_POST
def repair_decide(request, pk: int):
    item = get_object_or_404(publicity_queues(request.user)["repairs"], pk=pk)
    grant = request.POST.get("decision") == "grant"
    return _decide(
        request,
        lambda: services.repair_decide(
            actor=request.user, repair=item, grant=grant, answer=request.POST.get("answer", "")
        ),
        _("Granted: the result is no longer shown to the public; the record stays.")
        if grant
        else _("Refused; the firm reads the answer on its check-code page."),
    )


@login_required
@require_POST
def line_withhold(request, pk: int):
    def act(line, data, form):
        services.withhold_request(
            actor=request.user, line=line, legal_basis=data["legal_basis"], reason=data["reason"]
        )

    return _line_post(
        request,
        pk,
        "withhold",
        lambda line, *a, **k: WithholdForm(*a, **k),
        act,
        _("Request recorded: the joint-meeting office decides whether the result is not published."),
    )


@login_required
@require_POST
def line_objection(request, pk: int):
    def act(line, data, form):
        services.objection_file(
            actor=request.user,
            line=line,
            applicant=data["applicant"],
            phone=data["phone"],
            content=data["content"],
            received_on=data["received_on"],
        )

    return _line_post(
        request,
        pk,
        "objection",
        lambda line, *a, **k: CounterObjectionForm(*a, **k),
        act,
        _("Objection recorded; it is on the list of objections with its deadline."),
    )


@login_required
@require_POST
def line_repair(request, pk: int):
    def act(line, data, form):
        services.repair_apply(
            actor=request.user,
            line=line,
            applicant=data["applicant"],
            phone=data["phone"],
            statement=data["statement"],
            applied_on=data["applied_on"],
        )

    return _line_post(
        request,
        pk,
        "repair",
        lambda line, *a, **k: CounterRepairForm(*a, **k),
        act,
        _("Application recorded; it is on the list of credit repair applications."),
    )
