"""Meetings: the half-yearly plenary scheduled by the office; special meetings requested by a unit or the
office and held only with the convenor's consent; agenda topics before the deadline; attendance; the
member units' progress reports for the half-year."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.council.models import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    MemberKind,
    Presence,
    ProgressReport,
    Topic,
    TopicStatus,
)
from fairspot.council.rules import require_convenor, require_council_office, require_unit

OPEN_FOR_TOPICS = (MeetingStatus.REQUESTED, MeetingStatus.AGREED, MeetingStatus.SCHEDULED)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def half_of(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def _check_dates(
    starts_at: datetime | None, topic_deadline: date | None, report_deadline: date | None
) -> None:
    if starts_at is None:
        raise DomainError(_("Give the meeting's date and time."), field="starts_at")
    day = timezone.localdate(starts_at) if timezone.is_aware(starts_at) else starts_at.date()
    if topic_deadline is None:
        raise DomainError(_("Give the deadline for agenda topics."), field="topic_deadline")
    if topic_deadline > day:
        raise DomainError(_("Topics must be due before the meeting."), field="topic_deadline")
    if report_deadline is not None and report_deadline > day:
        raise DomainError(_("Progress reports must be due before the meeting."), field="report_deadline")


@transaction.atomic
def plenary_schedule(
    *, actor, title: str, starts_at: datetime, place: str, topic_deadline: date, report_deadline: date
) -> Meeting:
    """The office schedules the plenary of the half-year in which it is held (一般每半年召开一次)."""
    require_council_office(actor)
    if report_deadline is None:
        raise DomainError(_("Give the deadline for the progress reports."), field="report_deadline")
    _check_dates(starts_at, topic_deadline, report_deadline)
    year, half = half_of(timezone.localdate(starts_at))
    taken = Meeting.objects.filter(kind=MeetingKind.PLENARY, year=year, half=half).exclude(
        status=MeetingStatus.CANCELLED
    )
    if taken.exists():
        raise DomainError(_("The plenary of this half-year is scheduled already."), field="starts_at")
    meeting = Meeting.objects.create(
        kind=MeetingKind.PLENARY,
        title=title.strip()
        or _("Plenary meeting of %(year)s, %(half)s")
        % {"year": year, "half": _("first half") if half == 1 else _("second half")},
        year=year,
        half=half,
        status=MeetingStatus.SCHEDULED,
        starts_at=starts_at,
        place=place.strip(),
        topic_deadline=topic_deadline,
        report_deadline=report_deadline,
        requested_by=actor,
        requesting_unit=actor.department,
    )
    record(actor, "council.meeting.scheduled", meeting, data={"kind": meeting.kind, "starts_at": starts_at})
    return meeting


@transaction.atomic
def special_request(*, actor, department, title: str, reason: str) -> Meeting:
    """A unit (or the office) asks the convenor for a special meeting on a difficult question."""
    require_unit(actor, department.pk)
    if not title.strip():
        raise DomainError(_("Give the meeting a subject."), field="title")
    if not reason.strip():
        raise DomainError(_("Say why the meeting is needed."), field="reason")
    year, half = half_of(timezone.localdate())
    meeting = Meeting.objects.create(
        kind=MeetingKind.SPECIAL,
        title=title.strip(),
        reason=reason.strip(),
        year=year,
        half=half,
        status=MeetingStatus.REQUESTED,
        requested_by=actor,
        requesting_unit=department,
    )
    record(actor, "council.meeting.requested", meeting, department_id=department.pk)
    return meeting


@transaction.atomic
def special_consent(*, actor, meeting: Meeting, agree: bool, note: str = "") -> Meeting:
    """The convenor agrees to a requested special meeting (经召集人同意) or declines it."""
    require_convenor(actor)
    meeting = _locked(meeting)
    if meeting.kind != MeetingKind.SPECIAL or meeting.status != MeetingStatus.REQUESTED:
        raise DomainError(_("Only a requested special meeting awaits the convenor's answer."))
    meeting.status = MeetingStatus.AGREED if agree else MeetingStatus.DECLINED
    meeting.consent_by, meeting.consent_at, meeting.consent_note = actor, timezone.now(), note.strip()
    meeting.save()
    record(actor, "council.meeting.agreed" if agree else "council.meeting.declined", meeting)
    return meeting


@transaction.atomic
def meeting_schedule(
    *, actor, meeting: Meeting, starts_at: datetime, place: str, topic_deadline: date
) -> Meeting:
    """The office sets the time and place of a special meeting the convenor agreed to."""
    require_council_office(actor)
    meeting = _locked(meeting)
    if meeting.kind == MeetingKind.SPECIAL and meeting.status == MeetingStatus.REQUESTED:
        raise DomainError(
            _("A special meeting is held only with the convenor's consent, which it does not have yet.")
        )
    if meeting.status != MeetingStatus.AGREED:
        raise DomainError(_("This meeting cannot be scheduled in its present state."))
    _check_dates(starts_at, topic_deadline, None)
    meeting.starts_at, meeting.place, meeting.topic_deadline = starts_at, place.strip(), topic_deadline
    meeting.status = MeetingStatus.SCHEDULED
    meeting.save()
    record(actor, "council.meeting.scheduled", meeting, data={"kind": meeting.kind, "starts_at": starts_at})
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting, held_on: date) -> Meeting:
    """The office records that a scheduled meeting took place."""
    require_council_office(actor)
    meeting = _locked(meeting)
    if meeting.kind == MeetingKind.SPECIAL and meeting.consent_by_id is None:
        raise DomainError(
            _("A special meeting is held only with the convenor's consent, which it does not have yet.")
        )
    if meeting.status != MeetingStatus.SCHEDULED:
        raise DomainError(_("Only a scheduled meeting can be recorded as held."))
    if held_on > timezone.localdate():
        raise DomainError(_("A meeting cannot be recorded as held on a future day."), field="held_on")
    meeting.status, meeting.held_on = MeetingStatus.HELD, held_on
    meeting.save()
    record(actor, "council.meeting.held", meeting, data={"held_on": held_on})
    return meeting


def _member_unit(department, *, kinds=(MemberKind.MEMBER, MemberKind.ATTENDING)) -> None:
    if not Member.objects.filter(department=department, active=True, kind__in=kinds).exists():
        raise DomainError(_("%(unit)s is not a member unit of the joint meeting.") % {"unit": department})


@transaction.atomic
def topic_submit(
    *, actor, meeting: Meeting, department, title: str, description: str = "", today=None
) -> Topic:
    """A member unit proposes an agenda topic (议题), by the meeting's deadline for topics."""
    require_unit(actor, department.pk)
    _member_unit(department)
    meeting = _locked(meeting)
    if meeting.status not in OPEN_FOR_TOPICS:
        raise DomainError(_("This meeting takes no more topics."))
    today = today or timezone.localdate()
    if meeting.topic_deadline is not None and today > meeting.topic_deadline:
        raise DomainError(
            _("Topics for this meeting were due by %(date)s; it is too late to submit one.")
            % {"date": meeting.topic_deadline.isoformat()}
        )
    if not title.strip():
        raise DomainError(_("Give the topic."), field="title")
    topic = Topic.objects.create(
        meeting=meeting,
        department=department,
        title=title.strip(),
        description=description.strip(),
        submitted_by=actor,
    )
    record(
        actor, "council.topic.submitted", topic, department_id=department.pk, data={"meeting": meeting.title}
    )
    return topic


@transaction.atomic
def topic_decide(*, actor, topic: Topic, accept: bool) -> Topic:
    """The office puts a topic on the agenda or not."""
    require_council_office(actor)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.meeting.status == MeetingStatus.HELD:
        raise DomainError(_("The meeting has been held; its agenda is closed."))
    topic.status = TopicStatus.ACCEPTED if accept else TopicStatus.NOT_ACCEPTED
    topic.save(update_fields=["status"])
    record(
        actor,
        "council.topic.decided",
        topic,
        data={"status": topic.status},
        department_id=topic.department_id,
    )
    return topic


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, rows: list[tuple]) -> int:
    """The office records who came for each unit: ``rows`` of (department, presence, person)."""
    require_council_office(actor)
    meeting = _locked(meeting)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HELD):
        raise DomainError(_("Attendance is recorded for a scheduled or held meeting."))
    for department, presence, person in rows:
        if presence not in Presence.values:
            raise DomainError(_("Unknown attendance for %(unit)s.") % {"unit": department})
        if presence in (Presence.PRESENT, Presence.DEPUTISED) and not (person or "").strip():
            raise DomainError(_("Name who attended for %(unit)s.") % {"unit": department})
        Attendance.objects.update_or_create(
            meeting=meeting,
            department=department,
            defaults={"presence": presence, "person": (person or "").strip()},
        )
    record(
        actor,
        "council.attendance.recorded",
        meeting,
        data={str(d.code): p for d, p, _person in rows},
    )
    return len(rows)


@transaction.atomic
def report_submit(
    *, actor, meeting: Meeting, department, progress: str, problems: str = "", plans: str = ""
) -> ProgressReport:
    """A member unit reports its half-year's progress for the plenary (its later version replaces it)."""
    require_unit(actor, department.pk)
    _member_unit(department, kinds=(MemberKind.MEMBER,))
    meeting = _locked(meeting)
    if meeting.kind != MeetingKind.PLENARY or meeting.status != MeetingStatus.SCHEDULED:
        raise DomainError(_("Progress reports are collected for a scheduled plenary meeting."))
    if not progress.strip():
        raise DomainError(_("Describe the work done."), field="progress")
    report, created = ProgressReport.objects.update_or_create(
        meeting=meeting,
        department=department,
        defaults={
            "progress": progress.strip(),
            "problems": problems.strip(),
            "plans": plans.strip(),
            "submitted_by": actor,
            "submitted_at": timezone.now(),
        },
    )
    record(
        actor,
        "council.report.submitted",
        report,
        department_id=department.pk,
        data={"meeting": meeting.title, "replaced": not created},
    )
    return report
