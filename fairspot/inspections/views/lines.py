"""The writes on one visit item, each from its form on the visit page: field record, result, review,
publication, correction, attachment, quiz, follow-up; and the download of an attachment."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.core.errors import DomainError
from fairspot.inspections import services
from fairspot.inspections.forms import (
    AttachmentForm,
    CloseFollowUpForm,
    CorrectionForm,
    FollowUpForm,
    QuizForm,
    RecordForm,
    ResultForm,
    ReviewForm,
)
from fairspot.inspections.models import Attachment, FollowUp
from fairspot.inspections.selectors import lines_for
from fairspot.inspections.views.visit import render_visit


def _at_line(line_id: int, visit_id: int):
    return redirect(reverse("inspections:visit", args=[visit_id]) + f"#line-{line_id}")


def _line_post(request, pk: int, name: str, form_factory, action, success: str):
    """Bind the line's form, run the service; on refusal show the page again with the input kept."""
    line = get_object_or_404(lines_for(request.user), pk=pk)
    form = form_factory(line, request.POST, request.FILES or None, prefix=f"l{line.pk}-{name}")
    if form.is_valid() and actions.run_form(
        form,
        lambda: action(line, form.cleaned_data, form),
        request=request,
        success=success,
        also_message=True,
    ):
        return _at_line(line.pk, line.visit_id)
    return render_visit(request, line.visit, {(line.pk, name): form}, status=200)


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

    def publish():
        try:
            version = int(request.POST.get("version", "0"))
        except ValueError as exc:  # a tampered form: refused like a stale one
            raise DomainError(str(exc)) from exc
        return services.result_publish(actor=request.user, line=line, version=version)

    actions.run(request, publish, success=_("Result published."))
    return _at_line(line.pk, line.visit_id)


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
        actions.run(
            request,
            lambda: services.followup_close(
                actor=request.user,
                followup=followup,
                closed_on=form.cleaned_data["closed_on"],
                note=form.cleaned_data["note"],
            ),
            success=_("Follow-up closed."),
        )
    else:
        messages.error(request, _("Enter the closing date."))
    return _at_line(followup.line_id, followup.line.visit_id)


@login_required
def attachment(request, pk: int):
    att = get_object_or_404(Attachment.objects.filter(line__in=lines_for(request.user)), pk=pk)
    path = Path(settings.MEDIA_ROOT) / att.path
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type=att.content_type, filename=att.original_name)
