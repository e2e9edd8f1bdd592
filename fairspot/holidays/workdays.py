"""Working days under China's public-holiday schedule (法定节假日与调休), for deadlines.

The publication deadline of an inspection is ``add_working_days(end_date, 20)``: the 20th working day
after the inspection's end date, the end date itself not counted.

What a working day is
    A Monday–Friday is a working day and a Saturday/Sunday is not, except where the holiday table
    (``fairspot.holidays.models.CalendarDay``, seeded from the ``chinese-calendar`` package and editable
    by the joint-meeting office) says otherwise: a *holiday* row makes a weekday a day off, a *workday*
    row makes a weekend day a make-up working day (调休上班日).

``is_working_day(d)``
    True when ``d`` is a working day.

``add_working_days(start, n)``
    The n-th working day strictly after ``start``. ``start`` itself is never counted, whether or not it
    is a working day: ``add_working_days(Fri, 1)`` is the next Monday (on an ordinary week), and from a
    day inside a holiday the count starts with the first working day after it. ``n`` must be an
    integer ≥ 0; ``n == 0`` returns ``start`` unchanged without consulting the calendar. For n ≥ 1 the
    result is always a working day.

``working_days_between(a, b)``
    The number of working days d with ``a < d <= b`` (``a`` not counted, ``b`` counted), and
    ``-working_days_between(b, a)`` when ``b < a``; 0 when ``a == b``. So
    ``working_days_between(d, add_working_days(d, n)) == n``.

Years the calendar does not cover
    The package only knows the years the State Council has published (2004–2026 in chinesecalendar
    1.11.0). A year is covered when it is listed in ``fairspot.holidays.models.CalendarYear`` (the
    package's years are, after the seeding migration; the office confirms a later year once its
    schedule is entered). A year that is not covered is counted *provisionally* — weekends and the
    statutory holidays of 《全国年节及纪念日放假办法》 (``fairspot.holidays.statutory``) are days off — so
    work never stops for want of a schedule. ``add_working_days_marked(start, n)`` returns the day and
    whether any day it examined lay in such a year; a provisional deadline is shown as 暂定 and is
    recomputed when the office confirms that year (``fairspot.holidays.services.year_declare``).

Dates
    ``datetime.date`` values; a ``datetime.datetime`` is reduced to its date (no time-zone conversion).

Caching
    The table is read once into an immutable :class:`WorkdayCalendar` and kept per process. Before each
    use, two cheap aggregate queries compare the tables' row counts and latest change times with the cached
    version, so a change made by any process (or a rolled-back one) is seen at the next call. To compute
    many deadlines at once without that query, take ``cal = workday_calendar()`` once and call its
    methods.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from fairspot.core.errors import DomainError
from fairspot.holidays.statutory import statutory_holidays

__all__ = [
    "CalendarNotCovered",
    "WorkdayCalendar",
    "add_working_days",
    "add_working_days_marked",
    "clear_cache",
    "is_working_day",
    "workday_calendar",
    "working_days_between",
]

ONE_DAY = datetime.timedelta(days=1)


class CalendarNotCovered(DomainError):
    """The holiday schedule of ``year`` is not in the calendar, so working days there are unknown."""

    def __init__(self, year: int, covered: frozenset[int] = frozenset()):
        message = gettext(
            "The working-day calendar has no holiday schedule for %(year)s (covered: %(covered)s). "
            "Enter that year's holidays and make-up working days, then mark the year as covered."
        ) % {"year": year, "covered": _describe(covered) or "—"}
        super().__init__(message)
        self.year = year
        self.covered = covered


def _describe(years: frozenset[int]) -> str:
    """2004–2026, 2028 — runs of consecutive years."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if not isinstance(value, datetime.date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")
    return value


def _as_count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError("n must be >= 0")
    return n


@dataclass(frozen=True)
class WorkdayCalendar:
    """An immutable snapshot of the holiday table; the module functions use the current one."""

    holidays: frozenset[datetime.date]
    workdays: frozenset[datetime.date]
    years: frozenset[int]

    def covers(self, day: datetime.date) -> bool:
        return _as_date(day).year in self.years

    def is_working_day(self, day: datetime.date) -> bool:
        day = _as_date(day)
        if day.year not in self.years:  # provisional: weekends and the statutory holidays only
            return day.weekday() < 5 and day not in statutory_holidays(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days_marked(self, start: datetime.date, n: int) -> tuple[datetime.date, bool]:
        """The n-th working day after ``start``, and whether a day in an uncovered year was counted."""
        day, left = _as_date(start), _as_count(n)
        provisional = False
        while left:
            if day == datetime.date.max:  # no day after it to count
                raise CalendarNotCovered(day.year, self.years)
            day += ONE_DAY
            provisional = provisional or day.year not in self.years
            if self.is_working_day(day):
                left -= 1
        return day, provisional

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        return self.add_working_days_marked(start, n)[0]

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


_cached: tuple[tuple, WorkdayCalendar] | None = None


def _version() -> tuple:
    from django.db.models import Count, Max

    from fairspot.holidays.models import CalendarDay, CalendarYear

    days = CalendarDay.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (days["n"], days["last"], years["n"], years["last"])


def _load() -> WorkdayCalendar:
    from fairspot.holidays.models import CalendarDay, CalendarYear, DayKind

    rows = list(CalendarDay.objects.values_list("date", "kind"))
    return WorkdayCalendar(
        holidays=frozenset(d for d, kind in rows if kind == DayKind.HOLIDAY),
        workdays=frozenset(d for d, kind in rows if kind == DayKind.WORKDAY),
        years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def workday_calendar() -> WorkdayCalendar:
    """The calendar as the table stands now (reloaded only when the table has changed)."""
    global _cached
    version = _version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    calendar = _load()
    _cached = (version, calendar)
    return calendar


def clear_cache() -> None:
    global _cached
    _cached = None


def is_working_day(day: datetime.date) -> bool:
    return workday_calendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``start`` (``start`` not counted); see the module docstring."""
    if _as_count(n) == 0:
        return _as_date(start)
    return workday_calendar().add_working_days(start, n)


def add_working_days_marked(start: datetime.date, n: int) -> tuple[datetime.date, bool]:
    """Like :func:`add_working_days`, with ``True`` when the result is provisional (暂定)."""
    if _as_count(n) == 0:
        return _as_date(start), False
    return workday_calendar().add_working_days_marked(start, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days in (a, b]; negative when b < a; see the module docstring."""
    return workday_calendar().working_days_between(a, b)
