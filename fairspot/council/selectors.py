"""Reads of the joint meeting, already limited to what the user may see.

Every unit of the joint meeting sees its composition, its meetings and its published minutes; drafts
are seen by the office and the holders of the posts. A unit sees its own ledger items; the office, the
system administrators and the holders of the posts see them all."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from fairspot.council.ledger_models import OPEN_STATUSES
from fairspot.council.models import (
    LedgerItem,
    Meeting,
    Member,
    MemberChange,
    Minutes,
    MinutesStatus,
    Post,
    Reminder,
)
from fairspot.council.rules import sees_whole_council


def posts() -> QuerySet[Post]:
    return Post.objects.filter(active=True).select_related("department", "user")


def members() -> QuerySet[Member]:
    return Member.objects.filter(active=True).select_related("department")


def changes() -> QuerySet[MemberChange]:
    return MemberChange.objects.select_related("department", "proposed_by", "meeting", "decided_by")


def meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("requesting_unit", "requested_by", "consent_by")


def minutes_visible(user, minutes: Minutes | None) -> bool:
    if minutes is None:
        return False
    return minutes.status == MinutesStatus.PUBLISHED or sees_whole_council(user)


def ledger_for(
    user, *, q: str = "", filters: dict | None = None, today: date | None = None
) -> QuerySet[LedgerItem]:
    qs = LedgerItem.objects.select_related("department", "decision", "decision__meeting")
    if not sees_whole_council(user):
        qs = qs.filter(department_id=user.department_id) if user.department_id else qs.none()
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("meeting"):
        qs = qs.filter(decision__meeting_id=filters["meeting"])
    if filters.get("overdue") and today:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    if q:
        qs = qs.filter(Q(task__icontains=q) | Q(owner__icontains=q) | Q(decision__text__icontains=q))
    return qs.order_by("due_date", "pk")


def overdue_items(user, today: date) -> QuerySet[LedgerItem]:
    """The ledger items past their due date and not done, for the dashboard."""
    return ledger_for(user, filters={"overdue": True}, today=today)


def reminders_for(user, limit: int = 20) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user).select_related("item", "meeting")[:limit]


def dashboard_panel(user, today: date, limit: int = 10) -> dict | None:
    """What the hub's dashboard shows of the ledger: the overdue items the user may see (None for people
    outside the joint meeting)."""
    from fairspot.council.rules import may_use_council

    if not may_use_council(user):
        return None
    overdue = overdue_items(user, today)
    return {"overdue": list(overdue[:limit]), "overdue_count": overdue.count()}


def ledger_summary(user, today: date) -> list[dict]:
    """Per responsible unit: items in all, open, overdue, reported done, closed (for supervision)."""
    from django.db.models import Count

    from fairspot.council.ledger_models import LedgerStatus

    rows = (
        ledger_for(user)
        .order_by()
        .values("department__name", "department__sort_order")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
            done=Count("pk", filter=Q(status=LedgerStatus.DONE)),
            closed=Count("pk", filter=Q(status=LedgerStatus.CLOSED)),
        )
        .order_by("department__sort_order", "department__name")
    )
    return list(rows)


def awaiting_convenor() -> dict:
    """What waits for the convenor: special meetings to answer, minutes to sign off."""
    from fairspot.council.models import MeetingStatus

    return {
        "requests": meetings().filter(status=MeetingStatus.REQUESTED),
        "minutes": Minutes.objects.filter(status=MinutesStatus.DRAFT).select_related("meeting"),
    }
