"""Meetings: plenary and special meetings, the convenor's consent, topics, attendance, progress reports."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.council import selectors, services
from fairspot.council.forms import (
    AttendanceForm,
    ConsentForm,
    HoldForm,
    PlenaryForm,
    ReportForm,
    ScheduleForm,
    SpecialRequestForm,
    TopicForm,
)
from fairspot.council.models import Member, Topic
from fairspot.council.rules import (
    is_convenor,
    is_office,
    require_convenor,
    require_council_office,
    sees_whole_council,
)
from fairspot.council.views.common import council_page, form_page


def _meeting(pk):
    return get_object_or_404(selectors.meetings(), pk=pk)


def _to_meeting(meeting) -> str:
    return reverse("council:meeting", kwargs={"pk": meeting.pk})


@council_page
def plenary_create(request):
    require_council_office(request.user)
    form = PlenaryForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.plenary_schedule(actor=request.user, **data),
        title=_("Schedule the half-year's plenary meeting"),
        back=_to_meeting,
    )


@council_page
def special_request(request):
    form = SpecialRequestForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.special_request(actor=request.user, **data),
        title=_("Request a special meeting"),
        back=_to_meeting,
    )


@council_page
def meeting(request, pk: int):
    meeting = _meeting(pk)
    user = request.user
    minutes = getattr(meeting, "minutes", None)
    shows_minutes = selectors.minutes_visible(user, minutes)
    reports = meeting.reports.select_related("department", "submitted_by")
    if not sees_whole_council(user):
        reports = reports.filter(department_id=user.department_id)
    members = selectors.members().filter(kind="member")
    reported = set(meeting.reports.values_list("department_id", flat=True))
    return render(
        request,
        "council/meeting.html",
        {
            "meeting": meeting,
            "topics": meeting.topics.select_related("department"),
            "attendance": meeting.attendance.select_related("department"),
            "reports": reports,
            "missing_reports": [m for m in members if m.department_id not in reported],
            "minutes": minutes if shows_minutes else None,
            "decisions": meeting.decisions.select_related("lead").prefetch_related("items__department")
            if shows_minutes
            else [],
            "is_office": is_office(user),
            "is_convenor": is_convenor(user),
            "today": timezone.localdate(),
        },
    )


@council_page
def consent(request, pk: int):
    require_convenor(request.user)
    meeting = _meeting(pk)
    form = ConsentForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.special_consent(actor=request.user, meeting=meeting, **data),
        title=_("The convenor's answer to a special meeting"),
        back=_to_meeting,
        context={"subject": meeting},
    )


@council_page
def schedule(request, pk: int):
    require_council_office(request.user)
    meeting = _meeting(pk)
    form = ScheduleForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.meeting_schedule(actor=request.user, meeting=meeting, **data),
        title=_("Schedule the meeting"),
        back=_to_meeting,
        context={"subject": meeting},
    )


@council_page
def hold(request, pk: int):
    require_council_office(request.user)
    meeting = _meeting(pk)
    form = HoldForm(request.POST or None, initial={"held_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.meeting_hold(actor=request.user, meeting=meeting, **data),
        title=_("Record that the meeting was held"),
        back=_to_meeting,
        context={"subject": meeting},
    )


@council_page
def topic_submit(request, pk: int):
    meeting = _meeting(pk)
    form = TopicForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.topic_submit(actor=request.user, meeting=meeting, **data),
        title=_("Submit an agenda topic"),
        back=lambda topic: _to_meeting(meeting),
        context={"subject": meeting},
    )


@council_page
@require_POST
def topic_decide(request, pk: int):
    topic = get_object_or_404(Topic.objects.select_related("meeting"), pk=pk)
    accept = request.POST.get("accept") == "1"
    actions.run(
        request,
        lambda: services.topic_decide(actor=request.user, topic=topic, accept=accept),
        success=_("Saved."),
    )
    return redirect("council:meeting", pk=topic.meeting_id)


@council_page
def attendance(request, pk: int):
    require_council_office(request.user)
    meeting = _meeting(pk)
    departments = [m.department for m in Member.objects.filter(active=True).select_related("department")]
    known = {a.department_id: (a.presence, a.person) for a in meeting.attendance.all()}
    form = AttendanceForm(request.POST or None, departments=departments, initial_rows=known)
    return form_page(
        request,
        form,
        lambda data: services.attendance_record(actor=request.user, meeting=meeting, rows=form.rows()),
        title=_("Record attendance"),
        back=lambda count: _to_meeting(meeting),
        context={"subject": meeting},
    )


@council_page
def report(request, pk: int):
    meeting = _meeting(pk)
    form = ReportForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.report_submit(actor=request.user, meeting=meeting, **data),
        title=_("Report the half-year's progress"),
        back=lambda value: _to_meeting(meeting),
        context={"subject": meeting},
    )
