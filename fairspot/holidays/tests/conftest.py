"""The calendar as the seeding migration leaves it, even after a transactional test flushed the tables."""

import pytest

from fairspot.holidays import workdays
from fairspot.holidays.models import CalendarDay, CalendarYear
from fairspot.holidays.package import PACKAGE, package_days, package_years


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    if not CalendarYear.objects.exists():
        CalendarDay.objects.bulk_create(
            CalendarDay(date=p.date, kind=p.kind, name=p.name, source=PACKAGE) for p in package_days()
        )
        CalendarYear.objects.bulk_create(CalendarYear(year=y, source=PACKAGE) for y in package_years())
    workdays.clear_cache()
    yield
    workdays.clear_cache()
