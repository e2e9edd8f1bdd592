"""For tests and the demo: enter a year's schedule as the law alone gives it (statutory days, no 调休)."""

from fairspot.holidays.models import CalendarDay, DayKind
from fairspot.holidays.services import day_create
from fairspot.holidays.statutory import statutory_holidays


def enter_statutory_schedule(actor, year: int, *, extra_holidays=()) -> list[CalendarDay]:
    """Enter every statutory holiday of ``year`` that falls on a weekday (and ``extra_holidays``)."""
    days = sorted({*(d for d in statutory_holidays(year) if d.weekday() < 5), *extra_holidays})
    days = [d for d in days if not CalendarDay.objects.filter(date=d).exists()]
    return [
        day_create(actor=actor, values={"date": d, "kind": DayKind.HOLIDAY, "name": "法定节假日"})
        for d in days
    ]
