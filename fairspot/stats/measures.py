"""The figures of the statistics report: each a condition over a unit, counted per department in one
aggregate query per unit; totals are the sums of the department rows.

A measure's key names its rows: ``rows(key, filters, today, department)`` is the queryset counted.
Result categories (``code:<id>``) and follow-up dispositions (``disposition:<value>``) are measures too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from fairspot.accounts.models import Department
from fairspot.inspections.models import Disposition, ResultStatus, VisitStatus
from fairspot.reference.models import ResultCode
from fairspot.stats import units
from fairspot.stats.filters import Filters

PUBLISHED = Q(status=ResultStatus.PUBLISHED)
WITHHELD = Q(status=ResultStatus.WITHHELD)
SETTLED = PUBLISHED | WITHHELD
LATE = PUBLISHED & Q(visit__deadline__isnull=False, published_at__date__gt=F("visit__deadline"))


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    condition: object = None  # a Q, or a function of today returning one
    total_of: str = ""  # a field summed instead of counting records

    def q(self, today: date) -> Q:
        if self.condition is None:
            return Q()
        return self.condition(today) if callable(self.condition) else self.condition


MEASURES = [
    Measure("population", _("Targets in scope"), "draws", Q(status="revealed"), "population_size"),
    Measure("drawn", _("Targets drawn"), "drawn"),
    Measure("abandoned", _("Draws abandoned"), "draws", Q(status="abandoned")),
    Measure("visits", _("Visits"), "visits"),
    Measure("done", _("Visits done"), "visits", Q(status=VisitStatus.DONE)),
    Measure("joint", _("Joint visits"), "visits", Q(units.joint())),
    Measure("results", _("Results"), "results"),
    Measure("on_time", _("Published on time"), "results", PUBLISHED & ~LATE),
    Measure("late", _("Published late"), "results", LATE),
    Measure("withheld", _("Withheld from publication by law"), "results", WITHHELD),
    Measure(
        "overdue",
        _("Not yet published, overdue"),
        "results",
        lambda today: ~SETTLED & Q(visit__deadline__lt=today),
    ),
    Measure(
        "pending",
        _("Not yet published, within the deadline"),
        "results",
        lambda today: ~SETTLED & (Q(visit__deadline__isnull=True) | Q(visit__deadline__gte=today)),
    ),
    Measure("items", _("Check items covered"), "items"),
    Measure("followups", _("Follow-ups"), "followups"),
    Measure("closed", _("Follow-ups closed"), "followups", Q(closed=True)),
    Measure("batches_due", _("Plan batches ended"), "batches", lambda today: Q(end_date__lt=today)),
    Measure(
        "on_schedule",
        _("Plan batches executed on schedule"),
        "batches",
        lambda today: Q(end_date__lt=today) & Q(units.on_schedule()),
    ),
]
DISPOSITIONS = [
    Measure(f"disposition:{value}", label, "followups", Q(disposition=value))
    for value, label in Disposition.choices
]
BY_KEY = {m.key: m for m in MEASURES + DISPOSITIONS}
RATES = [
    # (key, label, numerator, denominator)
    ("ratio", _("Ratio drawn"), "drawn", "population"),
    ("joint_share", _("Share of joint visits"), "joint", "visits"),
    ("closure_rate", _("Closure rate"), "closed", "followups"),
    ("schedule_rate", _("Batches on schedule"), "on_schedule", "batches_due"),
]


def result_code_measure(code: ResultCode) -> Measure:
    return Measure(f"code:{code.pk}", code.label, "results", PUBLISHED & Q(standing_code=code.pk))


def measure(key: str) -> Measure:
    if key in BY_KEY:
        return BY_KEY[key]
    if key.startswith("code:") and key[5:].isdigit():
        code = ResultCode.objects.filter(pk=int(key[5:])).first()
        if code is not None:
            return result_code_measure(code)
    raise Http404("unknown figure")


def rows(key: str, filters: Filters, today: date, department: int | None = None) -> QuerySet:
    """The records a figure counts (for one department, or all of the filters' scope)."""
    m = measure(key)
    unit = units.UNITS[m.unit]
    qs = unit.build(filters).filter(m.q(today))
    if department is not None:
        qs = qs.filter(**{f"{unit.department}_id": department})
    return qs


def aggregate(m: Measure, today: date):
    """A figure's SQL aggregate. A plain ``COUNT``: a unit's rows never repeat (``units``), and
    ``COUNT(DISTINCT …)`` sorted a province's year of drawn places for nothing."""
    if m.total_of:
        return Sum(m.total_of, filter=m.q(today), default=0)
    return Count("pk", filter=m.q(today))


def _count(unit_key: str, measures: list[Measure], filters: Filters, today: date) -> dict:
    """``{department id: {measure key: figure}}`` for the measures of one unit: one query."""
    unit = units.UNITS[unit_key]
    dept = f"{unit.department}_id"
    qs = unit.build(filters).order_by().values(dept)
    qs = qs.annotate(**{f"m{i}": aggregate(m, today) for i, m in enumerate(measures)})
    return {row[dept]: {m.key: row[f"m{i}"] or 0 for i, m in enumerate(measures)} for row in qs}


def _rate(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.1"))


def report(filters: Filters, today: date) -> dict:
    """The report: a row per department with any figure, the totals (sums of the rows), the rates."""
    codes = list(ResultCode.objects.filter(scheme="2017双随机").order_by("code"))
    code_measures = [result_code_measure(c) for c in codes]
    by_unit: dict[str, list[Measure]] = {}
    for m in MEASURES + DISPOSITIONS + code_measures:
        by_unit.setdefault(m.unit, []).append(m)
    figures: dict[int, dict] = {}
    for unit_key, measures in by_unit.items():
        for dept, values in _count(unit_key, measures, filters, today).items():
            figures.setdefault(dept, {}).update(values)
    every = MEASURES + DISPOSITIONS + code_measures
    departments = Department.objects.filter(pk__in=[d for d in figures if d is not None]).order_by(
        "sort_order", "code"
    )
    rows_out = []
    for department in departments:
        values = {m.key: figures[department.pk].get(m.key, 0) for m in every}
        rows_out.append({"department": department, "values": values, "rates": _rates(values)})
    totals = {m.key: sum(r["values"][m.key] for r in rows_out) for m in every}
    used_codes = [m for m in code_measures if totals[m.key]]
    return {
        "rows": rows_out,
        "totals": totals,
        "total_rates": _rates(totals),
        "measures": MEASURES,
        "dispositions": DISPOSITIONS,
        "codes": used_codes,
        "rates": RATES,
        "empty": not any(totals.values()),
    }


def _rates(values: dict) -> dict:
    return {key: _rate(values[num], values[den]) for key, _label, num, den in RATES}
