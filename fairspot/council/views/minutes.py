"""Minutes and decisions: the office drafts, the convenor signs off, the office publishes; the printable
A4 document."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.council import selectors, services
from fairspot.council.forms import DecisionForm, MinutesForm
from fairspot.council.models import Minutes
from fairspot.council.rules import require_council_office
from fairspot.council.views.common import council_page, form_page


def _back(meeting):
    return lambda value: reverse("council:meeting", kwargs={"pk": meeting.pk})


@council_page
def minutes_edit(request, pk: int):
    require_council_office(request.user)
    meeting = get_object_or_404(selectors.meetings(), pk=pk)
    current = Minutes.objects.filter(meeting=meeting).first()
    initial = {"number": current.number, "body": current.body} if current else {}
    form = MinutesForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.minutes_draft(actor=request.user, meeting=meeting, **data),
        title=_("Draft the minutes"),
        back=_back(meeting),
        context={"subject": meeting},
    )


@council_page
def decision_add(request, pk: int):
    require_council_office(request.user)
    meeting = get_object_or_404(selectors.meetings(), pk=pk)
    form = DecisionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.decision_add(actor=request.user, meeting=meeting, **data),
        title=_("Add an agreed matter"),
        back=_back(meeting),
        context={"subject": meeting},
    )


def _minutes_action(request, pk, service, success):
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    actions.run(request, lambda: service(actor=request.user, minutes=minutes), success=success)
    return redirect("council:meeting", pk=pk)


@council_page
@require_POST
def minutes_approve(request, pk: int):
    return _minutes_action(request, pk, services.minutes_approve, _("The minutes are signed off."))


@council_page
@require_POST
def minutes_publish(request, pk: int):
    return _minutes_action(
        request, pk, services.minutes_publish, _("The minutes are published to the members.")
    )


@council_page
def minutes_print(request, pk: int):
    meeting = get_object_or_404(selectors.meetings(), pk=pk)
    minutes = getattr(meeting, "minutes", None)
    if not selectors.minutes_visible(request.user, minutes):
        raise Http404
    return render(
        request,
        "council/minutes_print.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "decisions": meeting.decisions.select_related("lead").prefetch_related("items__department"),
            "attendance": meeting.attendance.select_related("department"),
            "paragraphs": [p for p in minutes.body.splitlines() if p.strip()],
        },
    )
