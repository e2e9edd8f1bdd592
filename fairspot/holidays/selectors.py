"""Reads of the working-day calendar: every signed-in user may read it."""

from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractYear

from fairspot.holidays.models import CalendarDay, CalendarYear


def days_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[CalendarDay]:
    """Rows visible to ``user`` (all of them), searched by name or note and filtered by field lookups."""
    qs = CalendarDay.objects.all()
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(note__contains=q.strip()))
    for lookup, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{lookup: value})
    return qs.order_by("date")


def covered_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.order_by("year")


def known_years() -> list[int]:
    """Years that are covered or have at least one row, newest first (for the year filter)."""
    rows = CalendarDay.objects.annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct()
    return sorted(set(rows) | set(CalendarYear.objects.values_list("year", flat=True)), reverse=True)
