"""Seed the working-day calendar from the installed chinese-calendar package (2004–2026 in 1.11.0).

Holidays on weekdays and make-up working days on weekends, named in Chinese; every year the package
knows is marked covered. Not audited (installation data, marked source=chinese_calendar); later
re-seeding goes through ``manage.py sync_holidays``, which is.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from fairspot.holidays.package import PACKAGE, package_days, package_years

    CalendarDay = apps.get_model("holidays", "CalendarDay")
    CalendarYear = apps.get_model("holidays", "CalendarYear")
    taken = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=p.date, kind=p.kind, name=p.name, source=PACKAGE)
            for p in package_days()
            if p.date not in taken
        ]
    )
    covered = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source=PACKAGE) for y in package_years() if y not in covered]
    )


def unseed(apps, schema_editor):
    apps.get_model("holidays", "CalendarDay").objects.filter(source="chinese_calendar").delete()
    apps.get_model("holidays", "CalendarYear").objects.filter(source="chinese_calendar").delete()


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
