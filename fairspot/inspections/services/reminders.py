"""Reminders of due and overdue results: in-app, and one e-mail per person and day."""

from __future__ import annotations

import logging
from datetime import date

from django.core.mail import send_mail
from django.db.models import Q
from django.utils.translation import gettext as _

from fairspot.accounts.models import Role, User
from fairspot.holidays.workdays import add_working_days
from fairspot.inspections.models import SETTLED, Reminder, VisitItem, VisitStatus

logger = logging.getLogger(__name__)


def responsible_users(line: VisitItem) -> list[User]:
    """Who answers for a result: whoever entered it, the team's officers with accounts, and the
    administrators of the item's department."""
    users = {
        u.pk: u
        for u in User.objects.filter(
            Q(pk=line.entered_by_id)
            | Q(inspector__in=line.visit.members.all())
            | Q(role=Role.DEPT_ADMIN, department_id=line.department_id),
            is_active=True,
        )
    }
    return [users[k] for k in sorted(users)]


def send_reminders(*, today: date, within: int = 5) -> tuple[int, int, int]:
    """Remind the people responsible of every unpublished result whose deadline is at most ``within``
    working days away, or past: one in-app ``Reminder`` per person, result and day, and one e-mail per
    person (with an address) listing that day's reminders not yet e-mailed. A reminder is marked e-mailed
    only once its e-mail was sent; one whose e-mail failed goes out with the next run of the same day.
    Returns (reminders written, e-mails sent, e-mails that failed)."""
    horizon = add_working_days(today, within)
    lines = (
        VisitItem.objects.filter(visit__deadline__isnull=False, visit__deadline__lte=horizon)
        .exclude(status__in=SETTLED)
        .exclude(visit__status=VisitStatus.REPLACED)
        .select_related("visit", "visit__target", "item")
        .order_by("visit__deadline", "pk")
    )
    unsent: dict[int, tuple[User, list[Reminder]]] = {}
    written = 0
    for line in lines:
        deadline = line.visit.deadline
        kind = Reminder.Kind.OVERDUE if deadline < today else Reminder.Kind.DUE
        for user in responsible_users(line):
            reminder, created = Reminder.objects.get_or_create(
                user=user, line=line, kind=kind, day=today, defaults={"deadline": deadline}
            )
            written += created
            if not reminder.emailed:
                unsent.setdefault(user.pk, (user, []))[1].append(reminder)
    mailed = failed = 0
    for user, reminders in unsent.values():
        if not user.email:
            continue
        overdue = sum(1 for r in reminders if r.kind == Reminder.Kind.OVERDUE)
        subject = _("Fairspot: %(due)s result(s) due soon, %(overdue)s overdue") % {
            "due": len(reminders) - overdue,
            "overdue": overdue,
        }
        body = "\n".join(
            _("%(kind)s · deadline %(deadline)s · %(target)s · %(item)s · %(status)s")
            % {
                "kind": r.get_kind_display(),
                "deadline": r.deadline.isoformat(),
                "target": r.line.visit.target.name,
                "item": f"{r.line.item.code} {r.line.item.name}",
                "status": r.line.get_status_display(),
            }
            for r in reminders
        )
        try:
            sent = send_mail(subject, body, None, [user.email])
        except Exception:  # one unreachable address or a mail server down must not stop the others
            logger.warning("reminder e-mail to user %s failed", user.pk, exc_info=True)
            sent = 0
        if not sent:
            failed += 1
            continue
        Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(emailed=True)
        mailed += 1
    return written, mailed, failed
