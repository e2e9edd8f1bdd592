"""Minutes (会议纪要) and decisions (议定事项): the office drafts them after the meeting, the convenor signs
them off (签发), the office publishes them to the members. Signed-off minutes and their decisions are
not changed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import diff, record
from fairspot.core.errors import DomainError
from fairspot.council.models import Decision, Meeting, MeetingStatus, Minutes, MinutesStatus
from fairspot.council.rules import require_convenor, require_council_office


def _held(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Minutes are written for a meeting that has been held."))
    return meeting


def _draft_of(meeting: Meeting) -> Minutes | None:
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status != MinutesStatus.DRAFT:
        raise DomainError(_("The minutes are signed off; they are no longer changed."))
    return minutes


@transaction.atomic
def minutes_draft(*, actor, meeting: Meeting, number: str, body: str) -> Minutes:
    """The office writes or rewrites the draft minutes of a held meeting."""
    require_council_office(actor)
    meeting = _held(meeting)
    minutes = _draft_of(meeting)
    if not number.strip():
        raise DomainError(_("Give the minutes a document number."), field="number")
    if not body.strip():
        raise DomainError(_("Write the minutes."), field="body")
    before = {"number": minutes.number, "body": minutes.body} if minutes else {}
    if minutes is None:
        minutes = Minutes(meeting=meeting, drafted_by=actor)
    minutes.number, minutes.body = number.strip(), body.strip()
    minutes.save()
    record(
        actor,
        "council.minutes.drafted",
        minutes,
        changes=diff(before, {"number": minutes.number, "body": minutes.body}),
    )
    return minutes


@transaction.atomic
def decision_add(*, actor, meeting: Meeting, text: str, lead=None) -> Decision:
    """The office adds an agreed matter to the draft minutes."""
    require_council_office(actor)
    meeting = _held(meeting)
    _draft_of(meeting)
    if not text.strip():
        raise DomainError(_("Write the agreed matter."), field="text")
    number = (meeting.decisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    decision = Decision.objects.create(meeting=meeting, number=number, text=text.strip(), lead=lead)
    record(
        actor,
        "council.decision.added",
        decision,
        data={"text": decision.text},
        department_id=lead.pk if lead else None,
    )
    return decision


@transaction.atomic
def minutes_approve(*, actor, minutes: Minutes) -> Minutes:
    """The convenor signs off the draft minutes (签发)."""
    require_convenor(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.DRAFT:
        raise DomainError(_("These minutes are signed off already."))
    minutes.status, minutes.approved_by, minutes.approved_at = MinutesStatus.APPROVED, actor, timezone.now()
    minutes.save()
    record(actor, "council.minutes.approved", minutes, data={"decisions": minutes.meeting.decisions.count()})
    return minutes


@transaction.atomic
def minutes_publish(*, actor, minutes: Minutes) -> Minutes:
    """The office publishes signed-off minutes to every member unit."""
    require_council_office(actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.APPROVED:
        raise DomainError(_("Only minutes the convenor has signed off are published."))
    minutes.status, minutes.published_at = MinutesStatus.PUBLISHED, timezone.now()
    minutes.save()
    record(actor, "council.minutes.published", minutes)
    return minutes
