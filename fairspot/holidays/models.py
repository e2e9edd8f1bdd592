"""The working-day calendar (工作日历): the exceptions to "Monday to Friday are working days".

Only exceptions are stored. A ``CalendarDay`` is either a public holiday that falls on a weekday
(法定节假日, a weekday off) or a make-up working day that falls on a weekend (调休上班日, a Saturday or
Sunday worked). Every other Monday–Friday is a working day and every other Saturday/Sunday is not.

A ``CalendarYear`` says that a year's schedule is complete: the calendar answers only for covered years
(see :mod:`fairspot.holidays.workdays`); a deadline in a year whose State Council notice has not been
entered is provisional (weekends and the statutory holidays) until the office confirms that year.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1949, 2199


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (法定节假日)")
    WORKDAY = "workday", _("Make-up working day (调休上班日)")


class Source(models.TextChoices):
    PACKAGE = "chinese_calendar", _("chinese-calendar package")
    MANUAL = "manual", _("Entered by hand")


def kind_problem(day: date | None, kind: str | None) -> str | None:
    """Why ``kind`` makes no sense on ``day`` (a holiday on a weekend, a make-up day on a weekday)."""
    if day is None or not kind:
        return None
    if kind == DayKind.HOLIDAY and day.weekday() >= 5:
        return gettext("Saturdays and Sundays are days off anyway; record only holidays on weekdays.")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return gettext("Weekdays are working days anyway; a make-up working day falls on a weekend.")
    return None


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind of day"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 国庆节, 春节"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("e.g. the notice that decided this day")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="calendarday_kind_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="calendarday_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    def clean(self) -> None:
        problem = kind_problem(self.date, self.kind)
        if problem:
            raise ValidationError({"kind": problem})


class CalendarYear(models.Model):
    """A year whose holiday schedule is complete in the table, so working days can be counted in it."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("year covered by the calendar")
        verbose_name_plural = _("years covered by the calendar")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="calendaryear_range"
            ),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="calendaryear_source_valid"),
        ]

    def __str__(self) -> str:
        return str(self.year)
