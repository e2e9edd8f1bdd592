"""The accountability dashboard (charts with their tables and exports) and the annual assessment report."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.core.exporting import export_response
from fairspot.stats import dashboard, measures
from fairspot.stats.filters import choices, read_filters, require_reader
from fairspot.stats.pdf import assessment_pdf
from fairspot.stats.views import display, report_table


def _year_filters(request):
    filters = read_filters(request)
    today = timezone.localdate()
    if filters.year is None:
        filters = replace(filters, year=today.year)
    return filters, today


@login_required
def dashboard_page(request):
    """Per department and month of one year (this year unless chosen), each figure as a chart."""
    require_reader(request.user)
    filters, today = _year_filters(request)
    tables = dashboard.charts(filters, today)
    fmt = request.GET.get("export")
    if fmt:
        chosen = [t for t in tables if t["key"] == request.GET.get("chart", "")]
        if not chosen:
            raise Http404("unknown chart")
        table = chosen[0]
        header = [_("Department")] + [_("Month %(m)s") % {"m": m} for m in dashboard.MONTHS] + [_("Total")]
        rows = [[r["department"], *r["months"], r["total"]] for r in table["rows"]]
        rows.append([_("Total"), *table["totals"], table["total"]])
        return export_response(f"dashboard-{table['key']}", header, rows, fmt)
    return render(
        request,
        "stats/dashboard.html",
        {
            "tables": tables,
            "data": dashboard.chart_data(tables),
            "months": dashboard.MONTHS,
            "filters": filters,
            "query": urlencode(filters.query()),
            "empty": not any(t["total"] for t in tables),
            **choices(request.user, filters),
        },
    )


@login_required
def assessment(request):
    """The annual assessment report (绩效考核): the year's figures per department, printable on A4."""
    require_reader(request.user)
    filters, today = _year_filters(request)
    data = measures.report(filters, today)
    if request.GET.get("format") == "pdf":
        header, rows = report_table(data)
        title = _("Annual assessment report %(y)s") % {"y": filters.year}
        footer = _("Printed on %(d)s from the records of Fairspot.") % {"d": today.isoformat()}
        response = HttpResponse(assessment_pdf(title, header, rows, footer), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="assessment-{filters.year}.pdf"'
        return response
    return render(
        request,
        "stats/assessment.html",
        {
            **data,
            "tables": display(data, filters),
            "filters": filters,
            "query": urlencode(filters.query()),
            "today": today,
        },
    )
