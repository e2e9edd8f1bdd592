"""The joint meeting for tests: a composition over the test departments, a held plenary with signed-off
minutes and a decision, and a ledger item of the market unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from fairspot.accounts.models import Role, User
from fairspot.council import services
from fairspot.council.models import Decision, LedgerItem, Meeting, MemberKind, Minutes, PostKind


def convenor_user(department) -> User:
    return User.objects.create_user("convenor", password="pw", role=Role.DEPT_ADMIN, department=department)


def establish(office, departments: dict, convenor: User | None) -> None:
    services.composition_establish(
        actor=office,
        since=date(2021, 3, 1),
        posts=[
            {
                "kind": PostKind.CONVENOR,
                "person": "甲召集",
                "title": "组长",
                "department": departments["market"],
                "user": convenor,
            },
            {"kind": PostKind.DEPUTY, "person": "乙副召", "title": "主任", "department": departments["fire"]},
            {
                "kind": PostKind.OFFICE_HEAD,
                "person": "丙主任",
                "title": "科长",
                "department": departments["market"],
                "user": office,
            },
        ],
        members=[
            {"department": d, "kind": MemberKind.MEMBER, "leader": f"{d.short_name}分管", "liaison": "联络员"}
            for d in departments.values()
        ],
    )


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def plenary(office, *, starts: date | None = None, topics_by: date | None = None) -> Meeting:
    starts = starts or timezone.localdate() + timedelta(days=20)
    return services.plenary_schedule(
        actor=office,
        title="全体会议",
        starts_at=at(starts),
        place="会议室",
        topic_deadline=topics_by or starts - timedelta(days=7),
        report_deadline=starts - timedelta(days=5),
    )


@dataclass
class HeldMeeting:
    meeting: Meeting
    minutes: Minutes
    decision: Decision


def held_meeting(office, convenor: User, *, lead=None) -> HeldMeeting:
    """A plenary scheduled and held today, with minutes signed off by the convenor and one decision."""
    today = timezone.localdate()
    meeting = plenary(office, starts=today, topics_by=today)
    meeting = services.meeting_hold(actor=office, meeting=meeting, held_on=today)
    minutes = services.minutes_draft(
        actor=office, meeting=meeting, number="纪要〔2026〕1号", body="会议纪要正文"
    )
    decision = services.decision_add(
        actor=office, meeting=meeting, text="各成员单位建立工作任务台账", lead=lead
    )
    minutes = services.minutes_approve(actor=convenor, minutes=minutes)
    return HeldMeeting(meeting, minutes, decision)


def ledger_item(office, decision: Decision, department, *, due: date | None = None) -> LedgerItem:
    return services.item_create(
        actor=office,
        decision=decision,
        department=department,
        task="建立本单位双随机工作任务台账",
        owner="丁责任",
        due_date=due or timezone.localdate() + timedelta(days=60),
    )
