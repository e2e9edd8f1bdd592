"""The annual plans (抽查计划) on the public site: the district's annual plan of a year and each plan as
published — items and ratios, batches and dates, and the tasks made from the batches."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from fairspot.plans.models import BatchTask
from fairspot.plans.selectors import published_entries, published_years
from fairspot.portal import selectors
from fairspot.portal.views import public


def _year(request, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    return years[0] if years else None


@public()
def plans(request):
    years = published_years()
    year = _year(request, years)
    entries = published_entries(year) if year is not None else []
    departments: dict[str, list] = {}
    for entry in entries:
        departments.setdefault(entry.content["department"]["name"], []).append(entry)
    return render(
        request,
        "portal/plans.html",
        {
            "year": year,
            "years": years,
            "firm_cap": settings.FAIRSPOT_FIRM_ANNUAL_CAP,
            "departments": list(departments.items()),
            "totals": {
                "plans": len(entries),
                "joint": sum(e.content["kind"] == "joint" for e in entries),
                "items": sum(len(e.content["items"]) for e in entries),
                "batches": sum(len(e.content["batches"]) for e in entries),
            },
        },
    )


@public()
def plan_detail(request, code: str):
    entry = next((e for e in published_entries() if e.plan.code == code), None)
    if entry is None:
        raise Http404
    public_tasks = selectors.public_tasks()
    tasks: dict[int, list] = {}
    links = BatchTask.objects.filter(batch__plan=entry.plan, task__in=public_tasks).select_related(
        "batch", "task"
    )
    for link in links.order_by("task__code"):
        tasks.setdefault(link.batch.number, []).append(link.task)
    batches = [{**b, "tasks": tasks.get(b["number"], [])} for b in entry.content["batches"]]
    return render(
        request, "portal/plan_detail.html", {"entry": entry, "c": entry.content, "batches": batches}
    )
