"""Staff pages of visits: lists, the visit page with its per-item forms, notices, record forms, PDFs,
the due/overdue list, reminders and question banks. Writes go through ``services``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.audit.selectors import entries_about
from fairspot.core.errors import DomainError
from fairspot.core.exporting import export_response
from fairspot.draws.models import DrawStatus
from fairspot.draws.selectors import draws_for
from fairspot.holidays.workdays import add_working_days
from fairspot.inspections import alternates, pdf, services
from fairspot.inspections.forms import (
    AttachmentForm,
    CloseFollowUpForm,
    CorrectionForm,
    FinishForm,
    FollowUpForm,
    QuestionForm,
    QuizForm,
    RecordForm,
    ReplaceForm,
    ResultForm,
    ReviewForm,
)
from fairspot.inspections.models import Attachment, FollowUp, Question, ResultStatus, VisitStatus
from fairspot.inspections.selectors import due_lines, lines_for, my_visits, visit_experts, visits_for
from fairspot.items.models import CheckItem
from fairspot.reference.models import CheckMethod

PAGE_SIZE = 50
STATUS_LABELS = dict(ResultStatus.choices)


# --- lists ---------------------------------------------------------------------------------------
@login_required
def visit_list(request):
    user = request.user
    scope = request.GET.get("scope", "")
    qs = my_visits(user) if scope == "mine" else visits_for(user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(target__name__icontains=q) | Q(target__identifier__icontains=q))
    status = request.GET.get("status", "")
    if status in VisitStatus.values:
        qs = qs.filter(status=status)
    for param, lookup in (("from", "inspection_date__gte"), ("to", "inspection_date__lte")):
        value = request.GET.get(param, "")
        if value:
            try:
                qs = qs.filter(**{lookup: value})
            except ValidationError:
                messages.error(request, _("Unreadable date: %(v)s") % {"v": value[:20]})
    qs = qs.prefetch_related("members", "departments").order_by("-inspection_date", "target__name")
    fmt = request.GET.get("export")
    if fmt:
        rows = (
            [
                v.target.identifier,
                v.target.name,
                v.inspection_date,
                v.end_date or "",
                v.deadline or "",
                "暂定" if v.deadline_provisional else "",
                "；".join(d.short_name or d.name for d in v.departments.all()),
                v.leader.name,
                "；".join(m.name for m in v.members.all()),
                v.get_status_display(),
            ]
            for v in qs
        )
        header = [
            "统一社会信用代码",
            "检查对象",
            "检查日期",
            "结束日期",
            "公示期限",
            "期限暂定",
            "部门",
            "组长",
            "检查人员",
            "状态",
        ]
        return export_response("visits", header, rows, fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    pending = []
    if user.can_manage:
        pending = list(
            draws_for(user)
            .filter(status=DrawStatus.REVEALED, visits__isnull=True)
            .order_by("-revealed_at")[:20]
        )
    return render(
        request,
        "inspections/visit_list.html",
        {
            "page": page,
            "params": params.urlencode(),
            "q": q,
            "scope": scope,
            "status": status,
            "statuses": VisitStatus.choices,
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
            "pending": pending,
        },
    )


@login_required
@require_POST
def create_for_draw(request):
    draw = get_object_or_404(draws_for(request.user), draw_id=request.POST.get("draw_id", ""))
    try:
        visits = services.visits_create_for_draw(actor=request.user, draw=draw)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)s visit(s) created or extended.") % {"n": len(visits)})
    return redirect("inspections:visits")


# --- the visit page ------------------------------------------------------------------------------
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
    if manages and line.status in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
        forms["followup"] = pick("followup", lambda: FollowUpForm(prefix=f"{prefix}-followup"))
        forms["close"] = CloseFollowUpForm(initial={"closed_on": timezone.localdate()})
    return forms


def _render_visit(request, visit, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    may_record = services.can_record(request.user, visit)
    lines = list(
        visit.lines.select_related("item", "department", "result_code", "draw", "entered_by", "reviewed_by")
        .select_related("published_by", "method")
        .prefetch_related(
            "attachments", "reviews__reviewer", "corrections__result_code", "followups", "quiz_scores"
        )
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
        },
        status=status,
    )


@login_required
def visit_detail(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return _render_visit(request, visit)


@login_required
@require_POST
def visit_finish(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            services.visit_finish(actor=request.user, visit=visit, end_date=form.cleaned_data["end_date"])
        except DomainError as exc:
            form.add_error("end_date" if exc.field == "end_date" else None, str(exc.message))
        else:
            messages.success(request, _("Field work finished; the publication deadline is set."))
            return redirect("inspections:visit", pk=visit.pk)
    return _render_visit(request, visit, {(0, "finish"): form})


@login_required
@require_POST
def visit_replace(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    form = ReplaceForm(request.POST)
    if form.is_valid():
        try:
            alternates.alternate_request(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Request recorded. A second officer approves it before the alternate is inspected."),
            )
            return redirect("inspections:visit", pk=visit.pk)
    return _render_visit(request, visit, {(0, "replace"): form})


@login_required
@require_POST
def alternate_decide(request, pk: int, request_pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    pending = get_object_or_404(visit.alternate_requests, pk=request_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        new = alternates.alternate_decide(
            actor=request.user, request=pending, approve=approve, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("inspections:visit", pk=visit.pk)
    if approve:
        messages.success(request, _("The alternate target replaces the drawn one."))
    else:
        messages.success(request, _("The request is refused; the drawn target stays."))
    return redirect("inspections:visit", pk=new.pk)


def _line_post(request, pk: int, name: str, form_factory, action, success: str):
    """Bind the line's form, run the service; on refusal show the page again with the input kept."""
    line = get_object_or_404(lines_for(request.user), pk=pk)
    form = form_factory(line, request.POST, request.FILES or None, prefix=f"l{line.pk}-{name}")
    if form.is_valid():
        try:
            action(line, form.cleaned_data, form)
        except DomainError as exc:
            field = exc.field if exc.field in form.fields and exc.field != "version" else None
            form.add_error(field, str(exc.message))
            messages.error(request, str(exc.message))
        else:
            messages.success(request, success)
            return redirect(reverse("inspections:visit", args=[line.visit_id]) + f"#line-{line.pk}")
    return _render_visit(request, line.visit, {(line.pk, name): form}, status=200)


@login_required
@require_POST
def line_record(request, pk: int):
    def act(line, data, form):
        services.record_save(
            actor=request.user,
            line=line,
            version=data["version"],
            method_code=data["method"].code if data["method"] else None,
            answers=form.answers(),
            findings=data["findings"],
            confirmed_by=data["confirmed_by"],
        )

    return _line_post(
        request,
        pk,
        "record",
        lambda line, *a, **k: RecordForm(*a, line=line, **k),
        act,
        _("Field record saved."),
    )


@login_required
@require_POST
def line_result(request, pk: int):
    def act(line, data, form):
        services.result_enter(
            actor=request.user,
            line=line,
            version=data["version"],
            result_code=data["result_code"],
            remarks=data["remarks"],
        )

    return _line_post(
        request,
        pk,
        "result",
        lambda line, *a, **k: ResultForm(*a, **k),
        act,
        _("Result entered; it awaits review."),
    )


@login_required
@require_POST
def line_review(request, pk: int):
    def act(line, data, form):
        services.result_review(
            actor=request.user,
            line=line,
            version=data["version"],
            approve=data["decision"] == "approve",
            opinion=data["opinion"],
        )

    return _line_post(
        request, pk, "review", lambda line, *a, **k: ReviewForm(*a, **k), act, _("Review recorded.")
    )


@login_required
@require_POST
def line_publish(request, pk: int):
    line = get_object_or_404(lines_for(request.user), pk=pk)
    try:
        services.result_publish(actor=request.user, line=line, version=int(request.POST.get("version", "0")))
    except (DomainError, ValueError) as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
    else:
        messages.success(request, _("Result published."))
    return redirect(reverse("inspections:visit", args=[line.visit_id]) + f"#line-{line.pk}")


@login_required
@require_POST
def line_correct(request, pk: int):
    def act(line, data, form):
        services.result_correct(
            actor=request.user,
            line=line,
            result_code=data["result_code"],
            remarks=data["remarks"],
            reason=data["reason"],
        )

    return _line_post(
        request, pk, "correct", lambda line, *a, **k: CorrectionForm(*a, **k), act, _("Correction recorded.")
    )


@login_required
@require_POST
def line_attach(request, pk: int):
    def act(line, data, form):
        services.attachment_add(
            actor=request.user,
            line=line,
            upload=data["file"],
            kind=data["kind"],
            source=data["source"],
            description=data["description"],
        )

    return _line_post(
        request, pk, "attach", lambda line, *a, **k: AttachmentForm(*a, **k), act, _("Attachment stored.")
    )


@login_required
@require_POST
def line_quiz(request, pk: int):
    def act(line, data, form):
        services.quiz_record(
            actor=request.user,
            line=line,
            person=data["person"],
            position=data["position"],
            correct=data["correct"],
        )

    return _line_post(
        request, pk, "quiz", lambda line, *a, **k: QuizForm(*a, **k), act, _("Quiz score recorded.")
    )


@login_required
@require_POST
def line_followup(request, pk: int):
    def act(line, data, form):
        services.followup_add(actor=request.user, line=line, **data)

    return _line_post(
        request, pk, "followup", lambda line, *a, **k: FollowUpForm(*a, **k), act, _("Follow-up recorded.")
    )


@login_required
@require_POST
def followup_close(request, pk: int):
    followup = get_object_or_404(FollowUp.objects.filter(line__in=lines_for(request.user)), pk=pk)
    form = CloseFollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_close(
                actor=request.user,
                followup=followup,
                closed_on=form.cleaned_data["closed_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Follow-up closed."))
    else:
        messages.error(request, _("Enter the closing date."))
    return redirect(reverse("inspections:visit", args=[followup.line.visit_id]) + f"#line-{followup.line_id}")


@login_required
def attachment(request, pk: int):
    att = get_object_or_404(Attachment.objects.filter(line__in=lines_for(request.user)), pk=pk)
    path = Path(settings.MEDIA_ROOT) / att.path
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type=att.content_type, filename=att.original_name)


# --- notices and record forms -------------------------------------------------------------------
DOCUMENTS = [
    "营业执照（副本）及法定代表人（负责人）身份证明",
    "与抽查事项相关的许可证件、资质证明",
    "本年度及上一年度的年度报告和即时公示信息的证明材料",
]


def _context(visit) -> dict:
    lines = list(visit.lines.select_related("item").order_by("item__code"))
    members = list(visit.members.select_related("department"))
    team = [(visit.leader, "组长")] + [(m, "组员") for m in members if m.pk != visit.leader_id]
    departments = "、".join(d.name for d in visit.departments.all()) or visit.department.name
    documents = list(DOCUMENTS)
    for line in lines:
        for point in line.item.checklist_points:
            documents.append(f"{line.item.code}：{point}的相关记录")
    return {
        "visit": visit,
        "lines": lines,
        "team": team,
        "departments": departments,
        "documents": documents,
        "number": "、".join(d.draw_id for d in visit.draws.all()) + f" · {visit.target.identifier}",
        "issued": timezone.localdate(),
        "methods": list(CheckMethod.objects.all()),
    }


def _pdf_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def notice(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return render(request, "inspections/notice.html", _context(visit))


@login_required
def notice_pdf(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return _pdf_response(pdf.notice_pdf(_context(visit)), f"notice-{visit.pk}.pdf")


@login_required
def record_form(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return render(request, "inspections/record_form.html", _context(visit))


@login_required
def record_pdf(request, pk: int):
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return _pdf_response(pdf.record_pdf(_context(visit)), f"record-{visit.pk}.pdf")


# --- due and overdue -----------------------------------------------------------------------------
@login_required
def due(request):
    today = timezone.localdate()
    try:
        within = max(0, min(int(request.GET.get("within", "5")), 60))
    except ValueError:
        within = 5
    horizon = add_working_days(today, within)
    lines = list(due_lines(request.user, today=today, horizon=horizon))
    fmt = request.GET.get("export")
    header = [
        "部门",
        "统一社会信用代码",
        "检查对象",
        "事项",
        "检查日期",
        "结束日期",
        "公示期限",
        "期限暂定",
        "状态",
        "是否逾期",
    ]

    def row(line):
        return [
            line.department.name,
            line.visit.target.identifier,
            line.visit.target.name,
            f"{line.item.code} {line.item.name}",
            line.visit.inspection_date,
            line.visit.end_date or "",
            line.visit.deadline,
            "暂定" if line.visit.deadline_provisional else "",
            line.get_status_display(),
            "逾期" if line.visit.deadline < today else "",
        ]

    if fmt:
        return export_response("results-due", header, (row(li) for li in lines), fmt)
    groups: dict = {}
    for line in lines:
        groups.setdefault(line.department, []).append(line)
    return render(
        request,
        "inspections/due.html",
        {"groups": list(groups.items()), "today": today, "within": within, "horizon": horizon},
    )


@login_required
def reminders(request):
    return render(
        request,
        "inspections/reminders.html",
        {
            "reminders": request.user.reminders.select_related(
                "line", "line__item", "line__visit", "line__visit__target"
            )[:200]
        },
    )


# --- question banks (逢查必考) ----------------------------------------------------------------------
@login_required
def questions(request):
    from fairspot.accounts.scoping import scope_to_department

    items = scope_to_department(request.user, CheckItem.objects.all())
    form = QuestionForm(request.POST or None)
    form.fields["item"].queryset = items
    if request.method == "POST":
        if not request.user.can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.question_add(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("Question added."))
                return redirect("inspections:questions")
    qs = Question.objects.filter(item__in=items).select_related("item")
    return render(request, "inspections/questions.html", {"form": form, "questions": qs[:500]})
