"""Writes to the working-day calendar: only system administrators and the joint-meeting office, audited.

Rows entered or changed by hand are marked ``manual``; ``sync_from_package`` (``manage.py
sync_holidays``) never touches them. Rows from the package mirror the package: a sync recreates a
package row that was deleted by hand; to override a package day for good, change it instead (which
makes it a manual row).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.audit.records import create_audited, delete_audited
from fairspot.audit.services import Change, diff, record, record_many
from fairspot.core.errors import DomainError
from fairspot.core.records import save_validated, snapshot
from fairspot.holidays.models import CalendarDay, CalendarYear, Source, kind_problem
from fairspot.holidays.package import PackageDay, package_days, package_years
from fairspot.holidays.statutory import statutory_holidays

DAY_FIELDS = ("date", "kind", "name", "note")


def may_edit_calendar(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.sees_all_departments)


def require_calendar_editor(user) -> None:
    if not may_edit_calendar(user):
        raise PermissionDenied(
            _("Only system administrators and the joint-meeting office may change the working-day calendar.")
        )


def _check_kind(values: dict[str, Any]) -> None:
    problem = kind_problem(values.get("date"), values.get("kind"))
    if problem:
        raise DomainError(problem, field="kind")


@transaction.atomic
def day_create(*, actor, values: dict[str, Any]) -> CalendarDay:
    require_calendar_editor(actor)
    values = {k: v for k, v in values.items() if k in DAY_FIELDS}
    _check_kind(values)
    day = CalendarDay(**values, source=Source.MANUAL)
    return create_audited(actor, day, action="holidays.day.created")


@transaction.atomic
def day_change(*, actor, day: CalendarDay, values: dict[str, Any]) -> CalendarDay:
    """Change a row; a row from the package becomes a manual row, which later syncs leave alone."""
    require_calendar_editor(actor)
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    before = snapshot(day)
    for name, value in values.items():
        if name in DAY_FIELDS:
            setattr(day, name, value)
    _check_kind({"date": day.date, "kind": day.kind})
    if not diff(before, snapshot(day)):
        return day
    day.source = Source.MANUAL
    save_validated(day, None)
    record(actor, "holidays.day.changed", day, changes=diff(before, snapshot(day)))
    return day


@transaction.atomic
def day_delete(*, actor, day: CalendarDay) -> None:
    require_calendar_editor(actor)
    delete_audited(actor, day, action="holidays.day.deleted")


# Rooms downstream recompute what they counted provisionally when a year is confirmed (e.g. the
# inspections' publication deadlines), without the calendar importing them. A hook takes
# (actor, year) and returns the changes it made, each a dict with at least "what", "old" and "new".
YearHook = Callable[[Any, int], list[dict]]
YEAR_CONFIRMED_HOOKS: list[YearHook] = []


def on_year_confirmed(hook: YearHook) -> YearHook:
    if hook not in YEAR_CONFIRMED_HOOKS:
        YEAR_CONFIRMED_HOOKS.append(hook)
    return hook


def schedule_problems(year: int) -> list[str]:
    """Why the entered schedule of ``year`` cannot be confirmed (empty when it can).

    The law's statutory holidays (``fairspot.holidays.statutory``) that fall on a weekday must be days off
    in the entered schedule: a schedule missing one of them, or turning one into a working day, is
    malformed (typically a year typed for the wrong year, or only half entered)."""
    rows = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))
    if not any(kind == "holiday" for kind in rows.values()):
        return [_("No holiday of %(year)s has been entered.") % {"year": year}]
    return [
        _("%(day)s is a statutory holiday but is not entered as a day off.") % {"day": day.isoformat()}
        for day in sorted(statutory_holidays(year))
        if day.weekday() < 5 and rows.get(day) != "holiday"
    ]


@dataclass
class YearConfirmation:
    calendar_year: CalendarYear
    recomputed: list[dict] = field(default_factory=list)


@transaction.atomic
def year_declare(*, actor, year: int, note: str = "") -> YearConfirmation:
    """Confirm a year's schedule as entered, so working days in it are counted from it, and recompute
    everything that was counted provisionally (each change audited and returned for the office)."""
    require_calendar_editor(actor)
    if CalendarYear.objects.filter(year=year).exists():
        raise DomainError(_("The year %(year)s is already covered.") % {"year": year}, field="year")
    problems = schedule_problems(year)
    if problems:
        raise DomainError(
            _("The schedule of %(year)s is not complete; nothing was changed. %(problems)s")
            % {"year": year, "problems": " ".join(problems[:5])},
            field="year",
        )
    calendar_year = create_audited(
        actor, CalendarYear(year=year, note=note, source=Source.MANUAL), action="holidays.year.declared"
    )
    confirmation = YearConfirmation(calendar_year)
    for hook in YEAR_CONFIRMED_HOOKS:
        confirmation.recomputed.extend(hook(actor, year))
    return confirmation


@transaction.atomic
def year_withdraw(*, actor, calendar_year: CalendarYear) -> None:
    require_calendar_editor(actor)
    if calendar_year.source == Source.PACKAGE:
        raise DomainError(_("Years from the chinese-calendar package stay covered."))
    delete_audited(actor, calendar_year, action="holidays.year.withdrawn")


@dataclass
class SyncReport:
    """What a sync did (or, with dry_run, would do): dates per change."""

    created: list[PackageDay] = field(default_factory=list)
    changed: list[PackageDay] = field(default_factory=list)
    deleted: list[date] = field(default_factory=list)
    kept_manual: list[date] = field(default_factory=list)  # manual rows on dates the package also has
    years_added: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.created or self.changed or self.deleted or self.years_added)


@transaction.atomic
def sync_from_package(*, actor=None, dry_run: bool = False) -> SyncReport:
    """Make the package's rows match the installed ``chinese-calendar``; manual rows are left as they are.

    In every year the package covers: missing package days are created, package rows whose kind or
    name differ are updated, package rows the package no longer lists are deleted; the year is marked
    covered. Manual rows are never changed or deleted, even where the package disagrees.
    """
    if actor is not None:
        require_calendar_editor(actor)
    years = package_years()
    wanted = {p.date: p for p in package_days()}
    existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(date__year__in=years)}
    report = SyncReport()
    for when, entry in sorted(wanted.items()):
        row = existing.get(when)
        if row is None:
            report.created.append(entry)
        elif row.source == Source.MANUAL:
            report.kept_manual.append(when)
        elif (row.kind, row.name) != (entry.kind, entry.name):
            report.changed.append(entry)
    report.deleted = sorted(
        when for when, row in existing.items() if row.source == Source.PACKAGE and when not in wanted
    )
    covered = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    report.years_added = [y for y in years if y not in covered]
    if dry_run or report.empty:
        return report

    changes: list[Change] = []
    for entry in report.changed:
        row = existing[entry.date]
        before = snapshot(row)
        row.kind, row.name = entry.kind, entry.name
        row.save(update_fields=["kind", "name", "updated_at"])
        changes.append(Change("holidays.day.changed", row, changes=diff(before, snapshot(row))))
    for when in report.deleted:
        row = existing[when]
        changes.append(
            Change(
                "holidays.day.deleted",
                object_type=row._meta.label_lower,
                object_id=str(row.pk),
                object_repr=str(row),
                changes=diff(snapshot(row), {}),
            )
        )
        row.delete()
    created = CalendarDay.objects.bulk_create(
        [CalendarDay(date=p.date, kind=p.kind, name=p.name, source=Source.PACKAGE) for p in report.created]
    )
    for row in CalendarDay.objects.filter(date__in=[d.date for d in created]):
        changes.append(Change("holidays.day.created", row, changes=diff({}, snapshot(row))))
    for year in report.years_added:
        row = CalendarYear.objects.create(year=year, source=Source.PACKAGE)
        changes.append(Change("holidays.year.declared", row, changes=diff({}, snapshot(row))))
    for change in changes:
        change.data = {"via": "sync_holidays"}
    record_many(actor, changes)
    return report
