"""The visit page: its items, each with the forms the user may use, the team, alternates and history;
finishing the field work and asking for or deciding on an alternate target."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.accounts.scoping import in_department
from fairspot.audit.selectors import entries_about
from fairspot.core import actions
from fairspot.inspections import alternates, checkcode, services
from fairspot.inspections.forms import (
    AttachmentForm,
    CloseFollowUpForm,
    CorrectionForm,
    FinishForm,
    FollowUpForm,
    QuizForm,
    RecordForm,
    ReplaceForm,
    ResultForm,
    ReviewForm,
)
from fairspot.inspections.models import ResultStatus
from fairspot.inspections.publicity_forms import CounterObjectionForm, CounterRepairForm, WithholdForm
from fairspot.inspections.selectors import visit_experts, visits_for


def _line_forms(request, line, bound: dict, may_record: bool):
    def pick(name, factory):
        return bound.get((line.pk, name)) or factory()

    prefix = f"l{line.pk}"
    forms = {}
    if may_record and line.status not in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
        forms["record"] = pick(
            "record",
            lambda: RecordForm(
                line=line,
                prefix=f"{prefix}-record",
                initial={
                    "version": line.version,
                    "method": line.method_id,
                    "findings": line.findings,
                    "confirmed_by": [c.pk for c in line.confirmed_by.all()],
                },
            ),
        )
        forms["result"] = pick(
            "result",
            lambda: ResultForm(
                prefix=f"{prefix}-result",
                initial={
                    "version": line.version,
                    "result_code": line.result_code_id,
                    "remarks": line.remarks,
                },
            ),
        )
    if may_record and line.status != ResultStatus.PUBLISHED:
        forms["attach"] = pick("attach", lambda: AttachmentForm(prefix=f"{prefix}-attach"))
        forms["quiz"] = pick("quiz", lambda: QuizForm(prefix=f"{prefix}-quiz"))
    if line.status == ResultStatus.ENTERED and services.can_review(request.user, line):
        forms["review"] = pick(
            "review", lambda: ReviewForm(prefix=f"{prefix}-review", initial={"version": line.version})
        )
    manages = services.manages_line(request.user, line)
    if manages and line.status == ResultStatus.APPROVED:
        forms["publish"] = True
    if manages and line.status == ResultStatus.PUBLISHED:
        forms["correct"] = pick("correct", lambda: CorrectionForm(prefix=f"{prefix}-correct"))
    if manages and line.status == ResultStatus.APPROVED:
        forms["withhold"] = pick("withhold", lambda: WithholdForm(prefix=f"{prefix}-withhold"))
    if manages and line.status == ResultStatus.PUBLISHED:
        forms["objection"] = pick("objection", lambda: CounterObjectionForm(prefix=f"{prefix}-objection"))
        if not hasattr(line, "display_end"):
            forms["repair"] = pick("repair", lambda: CounterRepairForm(prefix=f"{prefix}-repair"))
    if manages and line.status in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
        forms["followup"] = pick("followup", lambda: FollowUpForm(prefix=f"{prefix}-followup"))
        forms["close"] = CloseFollowUpForm(initial={"closed_on": timezone.localdate()})
    return forms


def _may_approve(user, draw) -> bool:
    return user.can_manage and in_department(user, draw.task.department_id)


def render_visit(request, visit, bound: dict | None = None, status: int = 200):
    """The visit page; ``bound`` holds the submitted forms shown again, keyed (line pk or 0, name)."""
    bound = bound or {}
    may_record = services.can_record(request.user, visit)
    lines = list(
        visit.lines.select_related("item", "department", "result_code", "draw", "entered_by", "reviewed_by")
        .select_related("published_by", "method")
        .prefetch_related(
            "attachments", "reviews__reviewer", "corrections__result_code", "followups", "quiz_scores"
        )
        .select_related("display_end")
        .prefetch_related("withholdings__requested_by", "withholdings__decided_by", "objections", "repairs")
        .prefetch_related("confirmed_by")
    )
    rows = []
    for line in lines:
        rows.append(
            {
                "line": line,
                "forms": _line_forms(request, line, bound, may_record),
                "quiz": services.quiz_questions(line),
            }
        )
    members = list(visit.members.select_related("department"))
    valid = [m for m in members if m.certificate_valid_on(visit.inspection_date)]
    experts = visit_experts(visit)
    approved = services.is_approved(visit)
    check_url = checkcode.check_url(request, visit) if approved else ""
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "rows": rows,
            "members": members,
            "experts": experts,
            "alternate_requests": [
                (r, alternates.can_decide(request.user, r))
                for r in visit.alternate_requests.select_related("requested_by", "decided_by")
            ],
            "valid_count": len(valid),
            "may_record": may_record,
            "finish_form": bound.get((0, "finish"))
            or FinishForm(initial={"end_date": max(visit.inspection_date, timezone.localdate())}),
            "replace_form": bound.get((0, "replace")) or ReplaceForm(),
            "history": entries_about(visit)[:50],
            "approved": approved,
            "approvals": [d.check_approval for d in visit.draws.all() if hasattr(d, "check_approval")],
            "waiting_approval": [
                (d, services.suggested_basis(d), _may_approve(request.user, d))
                for d in services.unapproved_draws(visit)
            ],
            "check_url": check_url,
            "check_qr": checkcode.qr_svg(check_url) if check_url else "",
            "withdrawals": visit.withdrawals.select_related("inspector", "replaced_by"),
            "feedback": getattr(visit, "feedback", None),
        },
        status=status,
    )


@login_required
def visit_detail(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return render_visit(request, visit)


@login_required
@require_POST
def visit_finish(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    form = FinishForm(request.POST)
    if form.is_valid() and actions.run_form(
        form,
        lambda: services.visit_finish(
            actor=request.user, visit=visit, end_date=form.cleaned_data["end_date"]
        ),
        request=request,
        success=_("Field work finished; the publication deadline is set."),
    ):
        return redirect("inspections:visit", pk=visit.pk)
    return render_visit(request, visit, {(0, "finish"): form})


@login_required
@require_POST
def visit_replace(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    form = ReplaceForm(request.POST)
    if form.is_valid() and actions.run_form(
        form,
        lambda: alternates.alternate_request(
            actor=request.user, visit=visit, reason=form.cleaned_data["reason"]
        ),
        request=request,
        success=_("Request recorded. A second officer approves it before the alternate is inspected."),
    ):
        return redirect("inspections:visit", pk=visit.pk)
    return render_visit(request, visit, {(0, "replace"): form})


@login_required
@require_POST
def alternate_decide(request, pk: int, request_pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    pending = get_object_or_404(visit.alternate_requests, pk=request_pk)
    approve = request.POST.get("decision") == "approve"
    done = actions.run(
        request,
        lambda: alternates.alternate_decide(
            actor=request.user, request=pending, approve=approve, note=request.POST.get("note", "")
        ),
        success=_("The alternate target replaces the drawn one.")
        if approve
        else _("The request is refused; the drawn target stays."),
    )
    return redirect("inspections:visit", pk=done.value.pk if done else visit.pk)
