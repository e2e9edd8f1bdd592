"""The accountability dashboard: chosen figures of the report per department and month of one year.

Each chart is one aggregate query (its unit grouped by department and month); its table is the same
numbers, a row per department and a column per month, with the year's total (the sum of the row).
"""

from __future__ import annotations

from datetime import date

from django.db.models.functions import ExtractMonth

from fairspot.accounts.models import Department
from fairspot.stats import units
from fairspot.stats.filters import Filters
from fairspot.stats.measures import aggregate, measure

CHARTS = ["visits", "done", "on_time", "late", "overdue", "followups", "closed", "drawn"]
MONTHS = list(range(1, 13))


def monthly(key: str, filters: Filters, today: date) -> dict[int, list[int]]:
    """``{department id: [figure of January, …, December]}`` for one figure of the report."""
    m = measure(key)
    unit = units.UNITS[m.unit]
    dept = f"{unit.department}_id"
    qs = (
        unit.build(filters)
        .order_by()
        .annotate(month=ExtractMonth(unit.day))
        .values(dept, "month")
        .annotate(n=aggregate(m, today))
    )
    out: dict[int, list[int]] = {}
    for row in qs:
        if row["month"] is None:
            continue
        out.setdefault(row[dept], [0] * 12)[row["month"] - 1] = row["n"] or 0
    return out


def charts(filters: Filters, today: date) -> list[dict]:
    """Every chart of the dashboard with its table: departments, twelve months, the row totals."""
    figures = {key: monthly(key, filters, today) for key in CHARTS}
    ids = {d for fig in figures.values() for d in fig if d is not None}
    departments = list(Department.objects.filter(pk__in=ids).order_by("sort_order", "code"))
    out = []
    for key in CHARTS:
        rows = [{"department": d.name, "months": figures[key].get(d.pk, [0] * 12)} for d in departments]
        for row in rows:
            row["total"] = sum(row["months"])
        totals = [sum(r["months"][i] for r in rows) for i in range(12)]
        out.append(
            {
                "key": key,
                "label": str(measure(key).label),
                "rows": rows,
                "totals": totals,
                "total": sum(totals),
            }
        )
    return out


def chart_data(tables: list[dict]) -> dict:
    """What the page's script draws: per chart, the months and a series per department."""
    return {
        "months": [f"{m}" for m in MONTHS],
        "charts": [
            {
                "key": t["key"],
                "label": t["label"],
                "series": [{"name": r["department"], "data": r["months"]} for r in t["rows"]],
            }
            for t in tables
        ],
    }
