"""Meetings: special meetings need the convenor's consent, topics their deadline, minutes the convenor's
sign-off; progress reports per member unit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fairspot.core.errors import DomainError
from fairspot.council import services
from fairspot.council.models import MeetingStatus, MinutesStatus, Presence, ProgressReport, TopicStatus
from fairspot.testing import council as helpers

pytestmark = pytest.mark.django_db


def test_a_special_meeting_without_the_convenors_consent_cannot_be_scheduled_or_held(
    council, fire_admin, office, departments
):
    meeting = services.special_request(
        actor=fire_admin, department=departments["fire"], title="消防联合检查协调", reason="检查频次冲突"
    )
    assert meeting.status == MeetingStatus.REQUESTED
    when = helpers.at(timezone.localdate() + timedelta(days=10))
    with pytest.raises(DomainError, match="convenor's consent"):
        services.meeting_schedule(
            actor=office, meeting=meeting, starts_at=when, place="会议室", topic_deadline=timezone.localdate()
        )
    with pytest.raises(DomainError, match="convenor's consent"):
        services.meeting_hold(actor=office, meeting=meeting, held_on=timezone.localdate())
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REQUESTED


def test_only_the_convenor_consents_and_then_the_office_schedules(
    council, fire_admin, office, convenor, departments
):
    meeting = services.special_request(
        actor=fire_admin, department=departments["fire"], title="协调", reason="难点"
    )
    with pytest.raises(PermissionDenied):
        services.special_consent(actor=office, meeting=meeting, agree=True)
    meeting = services.special_consent(actor=convenor, meeting=meeting, agree=True, note="同意")
    assert meeting.status == MeetingStatus.AGREED
    when = helpers.at(timezone.localdate() + timedelta(days=10))
    meeting = services.meeting_schedule(
        actor=office, meeting=meeting, starts_at=when, place="会议室", topic_deadline=timezone.localdate()
    )
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_declined_special_meeting_is_not_scheduled(council, fire_admin, office, convenor, departments):
    meeting = services.special_request(
        actor=fire_admin, department=departments["fire"], title="协调", reason="难点"
    )
    services.special_consent(actor=convenor, meeting=meeting, agree=False)
    with pytest.raises(DomainError):
        services.meeting_schedule(
            actor=office,
            meeting=meeting,
            starts_at=helpers.at(timezone.localdate()),
            place="",
            topic_deadline=timezone.localdate(),
        )


def test_a_topic_after_the_deadline_is_refused(council, office, fire_admin, departments):
    meeting = helpers.plenary(office)
    deadline = meeting.topic_deadline
    topic = services.topic_submit(
        actor=fire_admin,
        meeting=meeting,
        department=departments["fire"],
        title="联合抽查比例",
        today=deadline,
    )
    assert topic.status == TopicStatus.SUBMITTED
    with pytest.raises(DomainError, match="too late"):
        services.topic_submit(
            actor=fire_admin,
            meeting=meeting,
            department=departments["fire"],
            title="迟到的议题",
            today=deadline + timedelta(days=1),
        )
    assert meeting.topics.count() == 1
    services.topic_decide(actor=office, topic=topic, accept=True)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ACCEPTED


def test_a_unit_submits_topics_for_itself_only(council, office, fire_admin, departments):
    meeting = helpers.plenary(office)
    with pytest.raises(PermissionDenied):
        services.topic_submit(actor=fire_admin, meeting=meeting, department=departments["market"], title="x")


def test_a_progress_report_is_one_per_unit_and_replaced_by_its_later_version(
    council, office, fire_admin, departments
):
    meeting = helpers.plenary(office)
    services.report_submit(
        actor=fire_admin, meeting=meeting, department=departments["fire"], progress="完成抽查3次"
    )
    services.report_submit(
        actor=fire_admin, meeting=meeting, department=departments["fire"], progress="完成抽查4次"
    )
    assert list(ProgressReport.objects.values_list("progress", flat=True)) == ["完成抽查4次"]
    with pytest.raises(DomainError, match="work done"):
        services.report_submit(
            actor=fire_admin, meeting=meeting, department=departments["fire"], progress=" "
        )


def test_attendance_names_who_came(council, office, departments):
    meeting = helpers.plenary(office)
    with pytest.raises(DomainError, match="Name who attended"):
        services.attendance_record(
            actor=office, meeting=meeting, rows=[(departments["fire"], Presence.PRESENT, "")]
        )
    services.attendance_record(
        actor=office,
        meeting=meeting,
        rows=[(departments["fire"], Presence.PRESENT, "某某"), (departments["market"], Presence.EXCUSED, "")],
    )
    assert meeting.attendance.count() == 2


def test_minutes_are_signed_off_by_the_convenor_then_published_and_then_fixed(council, office, convenor):
    today = timezone.localdate()
    meeting = services.meeting_hold(
        actor=office, meeting=helpers.plenary(office, starts=today, topics_by=today), held_on=today
    )
    minutes = services.minutes_draft(actor=office, meeting=meeting, number="纪要1号", body="正文")
    with pytest.raises(PermissionDenied):
        services.minutes_approve(actor=office, minutes=minutes)
    with pytest.raises(DomainError, match="signed off"):
        services.minutes_publish(actor=office, minutes=minutes)
    minutes = services.minutes_approve(actor=convenor, minutes=minutes)
    minutes = services.minutes_publish(actor=office, minutes=minutes)
    assert minutes.status == MinutesStatus.PUBLISHED
    with pytest.raises(DomainError, match="no longer changed"):
        services.minutes_draft(actor=office, meeting=meeting, number="纪要1号", body="改")
    with pytest.raises(DomainError, match="no longer changed"):
        services.decision_add(actor=office, meeting=meeting, text="新事项")


def test_one_plenary_per_half_year(council, office):
    helpers.plenary(office)
    with pytest.raises(DomainError, match="scheduled already"):
        helpers.plenary(office)
