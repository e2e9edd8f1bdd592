"""Reminders of the joint meeting, written by the daily task: a member unit's progress report due for a
scheduled plenary, and ledger items due within a few working days or overdue. One in-app reminder per
person, subject and day (the unit's administrators), and one e-mail per person with an address."""

from __future__ import annotations

import logging
from datetime import date

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from fairspot.accounts.models import Role, User
from fairspot.council.ledger_models import OPEN_STATUSES
from fairspot.council.models import (
    LedgerItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    MemberKind,
    Reminder,
    ReminderKind,
)
from fairspot.holidays.workdays import add_working_days

logger = logging.getLogger(__name__)


def unit_admins(department_id: int) -> list[User]:
    return list(
        User.objects.filter(role=Role.DEPT_ADMIN, department_id=department_id, is_active=True).order_by("pk")
    )


def _due_reports(today: date, horizon: date):
    """(meeting, department id) of every member unit whose report for a scheduled plenary is due by the
    horizon (or late) and not yet in."""
    meetings = Meeting.objects.filter(
        kind=MeetingKind.PLENARY, status=MeetingStatus.SCHEDULED, report_deadline__lte=horizon
    )
    members = list(
        Member.objects.filter(active=True, kind=MemberKind.MEMBER).values_list("department_id", flat=True)
    )
    for meeting in meetings:
        done = set(meeting.reports.values_list("department_id", flat=True))
        for department_id in members:
            if department_id not in done:
                yield meeting, department_id


def send_reminders(*, today: date, within: int = 5) -> dict[str, int]:
    horizon = add_working_days(today, within)
    written = 0
    unsent: dict[int, tuple[User, list[Reminder]]] = {}

    def remind(department_id, kind, due, **subject):
        nonlocal written
        for user in unit_admins(department_id):
            reminder, created = Reminder.objects.get_or_create(
                user=user, kind=kind, day=today, defaults={"due": due}, **subject
            )
            written += created
            if not reminder.emailed:
                unsent.setdefault(user.pk, (user, []))[1].append(reminder)

    for meeting, department_id in _due_reports(today, horizon):
        remind(department_id, ReminderKind.REPORT_DUE, meeting.report_deadline, meeting=meeting, item=None)
    items = LedgerItem.objects.filter(status__in=OPEN_STATUSES, due_date__lte=horizon).order_by(
        "due_date", "pk"
    )
    for item in items:
        kind = ReminderKind.ITEM_OVERDUE if item.due_date < today else ReminderKind.ITEM_DUE
        remind(item.department_id, kind, item.due_date, item=item, meeting=None)
    mailed = failed = 0
    for user, reminders in unsent.values():
        if not user.email:
            continue
        body = "\n".join(f"{r.get_kind_display()} · {r.due.isoformat()} · {_subject(r)}" for r in reminders)
        try:
            sent = send_mail(_("Fairspot: joint-meeting reminders"), body, None, [user.email])
        except Exception:  # one unreachable address must not stop the others
            logger.warning("council reminder e-mail to user %s failed", user.pk, exc_info=True)
            sent = 0
        if not sent:
            failed += 1
            continue
        Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(emailed=True)
        mailed += 1
    return {"written": written, "mailed": mailed, "failed": failed}


def _subject(reminder: Reminder) -> str:
    if reminder.item_id:
        return reminder.item.task[:80]
    return reminder.meeting.title if reminder.meeting_id else ""
