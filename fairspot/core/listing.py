"""What every list page shares: search box, filters, pagination and the export buttons."""

from django.core.paginator import Paginator
from django.shortcuts import render

from fairspot.core.exporting import export_response
from fairspot.core.registry import registry

PAGE_SIZE = 50


def list_page(request, *, kind: str, template: str, filters: dict[str, str], extra: dict | None = None):
    """Render a list (or export it when ?export=csv|xlsx): ``filters`` maps GET names to lookups."""
    spec = registry()[kind]
    q = request.GET.get("q", "")[:100]
    chosen = {lookup: request.GET.get(param, "")[:40] for param, lookup in filters.items()}
    qs = spec.queryset(request.user, q=q, filters=chosen)
    fmt = request.GET.get("export")
    if fmt:
        return export_response(kind, spec.header(), spec.rows(qs), fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "chosen": {p: request.GET.get(p, "") for p in filters},
            "spec": spec,
            "params": params.urlencode(),
            **(extra or {}),
        },
    )
