"""For the joint-meeting office: the firms checked too often this year, across departments (the
district's annual cap per firm, all checks counted), and planned visits of different departments to one
firm close together, proposed for one combined visit (综合查一次)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairspot.core.exporting import export_response
from fairspot.inspections.annual_cap import merge_proposals, often_checked

MERGE_WINDOW_DAYS = 30  # visits to one firm this close together are proposed for one combined visit

HEADER = [
    gettext_lazy("Unified social credit code"),
    gettext_lazy("Target"),
    gettext_lazy("Checks this year"),
    gettext_lazy("Checking departments"),
    gettext_lazy("At the cap"),
]


@login_required
def checks_per_firm(request):
    if not request.user.sees_all_departments:
        raise PermissionDenied(
            _("Only the joint-meeting office sees how often firms are checked across departments.")
        )
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else timezone.localdate().year
    threshold, rows = often_checked(year)
    fmt = request.GET.get("export")
    if fmt:
        return export_response(
            f"checks-per-firm-{year}",
            [str(h) for h in HEADER],
            (
                [
                    r["target"].identifier,
                    r["target"].name,
                    r["checks"],
                    "、".join(r["departments"]),
                    "是" if r["at_cap"] else "",
                ]
                for r in rows
            ),
            fmt,
        )
    return render(
        request,
        "inspections/checks_per_firm.html",
        {
            "year": year,
            "rows": rows,
            "threshold": threshold,
            "cap": settings.FAIRSPOT_FIRM_ANNUAL_CAP,
            "proposals": merge_proposals(year, MERGE_WINDOW_DAYS),
            "window": MERGE_WINDOW_DAYS,
            "params": f"year={year}",
        },
    )
