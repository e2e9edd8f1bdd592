"""What the ``chinese-calendar`` package (import name ``chinese_calendar``) knows, as table rows.

Pure data, no models: used by the seeding migration and by ``manage.py sync_holidays``.
The package covers the years in :func:`package_years` (2004–2026 in chinesecalendar 1.11.0); it names
each day in English, stored here in Chinese.
"""

from dataclasses import dataclass
from datetime import date

import chinese_calendar

HOLIDAY, WORKDAY, PACKAGE = "holiday", "workday", "chinese_calendar"

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class PackageDay:
    date: date
    kind: str
    name: str


def _name(value) -> str:
    english = str(getattr(value, "value", value))
    return CHINESE_NAMES.get(english, english)


def package_years() -> list[int]:
    """Every year the package has a schedule for."""
    return sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})


def package_days() -> list[PackageDay]:
    """The package's exceptions: holidays on weekdays and make-up working days on weekends, by date.

    Holidays on a Saturday or Sunday are left out (those are days off anyway), so the table gives
    exactly ``chinese_calendar.is_workday`` for every day of a covered year.
    """
    days = [
        PackageDay(d, HOLIDAY, _name(name))
        for d, name in chinese_calendar.holidays.items()
        if d.weekday() < 5 and d not in chinese_calendar.workdays
    ]
    days += [
        PackageDay(d, WORKDAY, _name(name))
        for d, name in chinese_calendar.workdays.items()
        if d.weekday() >= 5
    ]
    return sorted(days, key=lambda p: p.date)
