"""The estimates page: the share of firms breaking the rules across the whole population, with its 95 %
interval and the number of inspections behind it (``fairspot.credit.estimates``; docs/estimates.md)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fairspot.accounts.scoping import require_manager
from fairspot.core.exporting import export_response
from fairspot.credit import estimates
from fairspot.credit.forms import EstimateForm


@login_required
def estimates_page(request):
    require_manager(request.user)
    form = EstimateForm(request.GET or None, user=request.user)
    total, rows = None, []
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        filters = estimates.Filters(
            department=data.get("department"),
            item=data.get("item"),
            township=data.get("township"),
            industry_section=data.get("industry_section") or "",
            risk_class=data.get("risk_class") or "",
            start=data.get("start"),
            end=data.get("end"),
            by=data.get("by") or "",
        )
        total, rows = estimates.table(request.user, filters)
        fmt = request.GET.get("export")
        if fmt:
            return export_response(
                "compliance-estimates", estimates.export_header(), estimates.export_rows(total, rows), fmt
            )
    params = request.GET.copy()
    params.pop("export", None)
    return render(
        request,
        "credit/estimates.html",
        {
            "form": form,
            "total": total,
            "rows": rows,
            "params": params.urlencode(),
            "minimum": estimates.MIN_INSPECTIONS,
        },
    )
