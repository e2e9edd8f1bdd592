"""The statistics report, the rows behind each figure, the diligence record and the failures register."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.core.exporting import export_response
from fairspot.inspections.selectors import visits_for
from fairspot.stats import diligence as diligence_data
from fairspot.stats import measures, rowspecs
from fairspot.stats.filters import choices, read_filters, require_reader

PAGE_SIZE = 50


@login_required
def report(request):
    require_reader(request.user)
    filters = read_filters(request)
    today = timezone.localdate()
    data = measures.report(filters, today)
    fmt = request.GET.get("export")
    if fmt:
        header, rows = report_table(data)
        return export_response("statistics", header, rows, fmt)
    return render(
        request,
        "stats/report.html",
        {
            **data,
            "tables": display(data, filters),
            "filters": filters,
            "query": urlencode(filters.query()),
            "today": today,
            **choices(request.user, filters),
        },
    )


def display(data: dict, filters) -> list[dict]:
    """The report's tables for the page: each figure with the link to its rows."""
    base = filters.query()

    def link(key, department):
        query = {**base, "figure": key}
        if department is not None:
            query["department"] = str(department.pk)
        return reverse("stats:rows") + "?" + urlencode(query)

    def table(title, figures, rates=()):
        out = []
        for row in data["rows"] + [
            {"department": None, "values": data["totals"], "rates": data["total_rates"]}
        ]:
            dept = row["department"]
            out.append(
                {
                    "name": dept.name if dept else _("Total"),
                    "total": dept is None,
                    "cells": [(row["values"][m.key], link(m.key, dept)) for m in figures],
                    "rates": [row["rates"][r[0]] for r in rates],
                }
            )
        return {
            "title": title,
            "header": [m.label for m in figures],
            "rate_header": [r[1] for r in rates],
            "rows": out,
        }

    by_key = {m.key: m for m in data["measures"]}
    rates = {r[0]: r for r in data["rates"]}
    groups = [
        (_("Draws"), ["population", "drawn", "abandoned"], ["ratio"]),
        (_("Visits"), ["visits", "done", "joint"], ["joint_share"]),
        (
            _("Results and publication"),
            ["results", "on_time", "late", "withheld", "overdue", "pending", "items"],
            [],
        ),
        (_("Follow-up"), ["followups", "closed"], ["closure_rate"]),
        (_("Plans"), ["batches_due", "on_schedule"], ["schedule_rate"]),
    ]
    return [
        *(table(title, [by_key[k] for k in keys], [rates[r] for r in rs]) for title, keys, rs in groups),
        table(_("Published results by category"), data["codes"]),
        table(_("Follow-up by disposition"), data["dispositions"]),
    ]


def report_table(data: dict) -> tuple[list[str], list[list]]:
    """The report as one sheet: a row per department and the totals row."""
    figures = data["measures"] + data["codes"] + data["dispositions"]
    header = [_("Department")] + [str(m.label) for m in figures] + [str(r[1]) + " %" for r in data["rates"]]
    out = []
    for row in data["rows"] + [{"department": None, "values": data["totals"], "rates": data["total_rates"]}]:
        name = row["department"].name if row["department"] else _("Total")
        out.append(
            [name]
            + [row["values"][m.key] for m in figures]
            + ["" if row["rates"][r[0]] is None else row["rates"][r[0]] for r in data["rates"]]
        )
    return header, out


@login_required
def rows(request):
    """The records behind one figure of the report (``figure``), for a department or all."""
    require_reader(request.user)
    filters = read_filters(request)
    today = timezone.localdate()
    key = request.GET.get("figure", "")
    if not key:
        return redirect("stats:report")
    measure = measures.measure(key)
    department = filters.department
    qs = rowspecs.SPECS[measure.unit].prepare(measures.rows(key, filters, today, department))
    fmt = request.GET.get("export")
    if fmt:
        header, table = rowspecs.table(measure.unit, list(qs))
        return export_response("statistics-rows", header, (cells for _link, cells in table), fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    header, table = rowspecs.table(measure.unit, list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "stats/rows.html",
        {
            "measure": measure,
            "unit_name": rowspecs.UNIT_NAMES[measure.unit],
            "header": header,
            "table": table,
            "page": page,
            "params": params.urlencode(),
            "back": urlencode(filters.query()),
        },
    )


@login_required
def diligence(request, pk: int):
    """One visit's diligence record (尽职免责): that it followed the rules, on one printable page."""
    require_reader(request.user)
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    return render(request, "stats/diligence.html", diligence_data.record(visit, timezone.localdate()))


@login_required
def failures(request):
    """The register of failures (失职追责): overdue results, short teams, abandoned draws."""
    require_reader(request.user)
    filters = read_filters(request)
    today = timezone.localdate()
    entries = diligence_data.failures(filters, today)
    fmt = request.GET.get("export")
    if fmt:
        header = [_("Kind"), _("Department"), _("Record"), _("Date"), _("Reason")]
        rows_ = ([e["kind"], e["department"], e["what"], e["date"], e["reason"]] for e in entries)
        return export_response("failures", header, rows_, fmt)
    return render(
        request,
        "stats/failures.html",
        {
            "entries": entries,
            "filters": filters,
            "query": urlencode(filters.query()),
            **choices(request.user, filters),
        },
    )
