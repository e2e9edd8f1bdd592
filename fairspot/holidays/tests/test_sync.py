"""Seeding from chinese-calendar and re-seeding with ``sync_holidays`` (manual rows are never overwritten)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from fairspot.audit.models import AuditEntry
from fairspot.audit.selectors import verify_chain
from fairspot.holidays import services
from fairspot.holidays.models import CalendarDay, CalendarYear, DayKind, Source
from fairspot.holidays.package import package_days, package_years
from fairspot.holidays.services import sync_from_package

pytestmark = pytest.mark.django_db


def rows():
    return set(CalendarDay.objects.values_list("date", "kind", "name", "source"))


def test_seed_holds_exactly_the_package_exceptions():
    assert package_years() == list(range(2004, 2027))
    assert rows() == {(p.date, p.kind, p.name, Source.PACKAGE) for p in package_days()}
    assert list(CalendarYear.objects.values_list("year", flat=True)) == package_years()
    national_day = CalendarDay.objects.filter(date__range=(date(2025, 9, 27), date(2025, 10, 12)))
    assert [(d.date.day, d.kind, d.name) for d in national_day] == [
        (28, DayKind.WORKDAY, "国庆节"),
        (1, DayKind.HOLIDAY, "国庆节"),
        (2, DayKind.HOLIDAY, "国庆节"),
        (3, DayKind.HOLIDAY, "国庆节"),
        (6, DayKind.HOLIDAY, "中秋节"),  # the package names Mid-Autumn day itself
        (7, DayKind.HOLIDAY, "国庆节"),
        (8, DayKind.HOLIDAY, "国庆节"),
        (11, DayKind.WORKDAY, "国庆节"),
    ]
    assert set(CalendarDay.objects.filter(date__year=2026, date__month=2).values_list("name", flat=True)) == {
        "春节"
    }


def test_sync_of_a_seeded_table_changes_nothing():
    before = rows()
    report = sync_from_package()
    assert report.empty and not report.kept_manual
    assert rows() == before and not AuditEntry.objects.exists()


def test_sync_repairs_package_rows_and_keeps_manual_ones(office):
    mid_autumn = CalendarDay.objects.get(date=date(2025, 10, 6))
    services.day_change(actor=office, day=mid_autumn, values={"name": "国庆节、中秋节"})
    CalendarDay.objects.filter(date=date(2026, 2, 16)).delete()  # a package row lost
    CalendarDay.objects.filter(date=date(2026, 2, 17)).update(name="wrong")  # a package row altered
    stray = CalendarDay.objects.create(
        date=date(2025, 10, 9), kind=DayKind.HOLIDAY, name="?", source=Source.PACKAGE
    )
    local = services.day_create(
        actor=office, values={"date": date(2025, 10, 10), "kind": DayKind.HOLIDAY, "name": "区级停工日"}
    )
    CalendarYear.objects.filter(year=2004).delete()
    AuditEntry.objects.all().delete()

    assert sync_from_package(dry_run=True).created  # a dry run writes nothing
    assert not AuditEntry.objects.exists()

    report = sync_from_package()
    assert [p.date for p in report.created] == [date(2026, 2, 16)]
    assert [p.date for p in report.changed] == [date(2026, 2, 17)]
    assert report.deleted == [date(2025, 10, 9)]
    assert report.kept_manual == [date(2025, 10, 6)]
    assert report.years_added == [2004]
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name == "春节"
    assert not CalendarDay.objects.filter(pk=stray.pk).exists()
    kept = CalendarDay.objects.get(date=date(2025, 10, 6))
    assert (kept.name, kept.source) == ("国庆节、中秋节", Source.MANUAL)
    assert CalendarDay.objects.get(pk=local.pk).name == "区级停工日"
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == [
        "holidays.day.changed",
        "holidays.day.created",
        "holidays.day.deleted",
        "holidays.year.declared",
    ]
    assert all(
        e.data == {"via": "sync_holidays"} and e.actor_name == "system" for e in AuditEntry.objects.all()
    )
    assert verify_chain().ok
    assert sync_from_package().empty


def test_sync_command_reports(office):
    CalendarDay.objects.filter(date=date(2025, 10, 1)).delete()
    out = StringIO()
    call_command("sync_holidays", "--dry-run", stdout=out)
    assert "+ 2025-10-01 holiday 国庆节" in out.getvalue() and "Would write: 1 created" in out.getvalue()
    assert not CalendarDay.objects.filter(date=date(2025, 10, 1)).exists()
    out = StringIO()
    call_command("sync_holidays", stdout=out)
    assert "2004–2026" in out.getvalue() and "Wrote: 1 created, 0 changed, 0 deleted" in out.getvalue()
    assert CalendarDay.objects.filter(date=date(2025, 10, 1), source=Source.PACKAGE).exists()


def test_a_department_admin_may_not_sync(market_admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sync_from_package(actor=market_admin)
