"""The visit list (with its export and the draws awaiting visits), the due/overdue list, reminders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fairspot.core import actions
from fairspot.core.exporting import export_response
from fairspot.draws.models import DrawStatus
from fairspot.draws.selectors import draws_for
from fairspot.holidays.workdays import add_working_days
from fairspot.inspections import services
from fairspot.inspections.models import VisitStatus
from fairspot.inspections.selectors import due_lines
from fairspot.inspections.views.exports import DUE_HEADER, VISIT_HEADER, due_row, visit_row
from fairspot.inspections.views.filters import due_within, filtered_visits

PAGE_SIZE = 50


@login_required
def visit_list(request):
    user = request.user
    qs, chosen = filtered_visits(request)
    qs = qs.prefetch_related("members", "departments").order_by("-inspection_date", "target__name")
    fmt = request.GET.get("export")
    if fmt:
        return export_response("visits", VISIT_HEADER, (visit_row(v) for v in qs), fmt)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    pending = []
    if user.can_manage:
        pending = list(
            draws_for(user)
            .filter(status=DrawStatus.REVEALED, visits__isnull=True)
            .order_by("-revealed_at")[:20]
        )
    return render(
        request,
        "inspections/visit_list.html",
        {
            "page": page,
            "params": params.urlencode(),
            **chosen,
            "statuses": VisitStatus.choices,
            "pending": pending,
        },
    )


@login_required
@require_POST
def create_for_draw(request):
    draw = get_object_or_404(draws_for(request.user), draw_id=request.POST.get("draw_id", ""))
    actions.run(
        request,
        lambda: services.visits_create_for_draw(actor=request.user, draw=draw),
        success=lambda visits: _("%(n)s visit(s) created or extended.") % {"n": len(visits)},
    )
    return redirect("inspections:visits")


@login_required
def due(request):
    today = timezone.localdate()
    within = due_within(request)
    horizon = add_working_days(today, within)
    lines = list(due_lines(request.user, today=today, horizon=horizon))
    fmt = request.GET.get("export")
    if fmt:
        return export_response("results-due", DUE_HEADER, (due_row(li, today) for li in lines), fmt)
    groups: dict = {}
    for line in lines:
        groups.setdefault(line.department, []).append(line)
    return render(
        request,
        "inspections/due.html",
        {"groups": list(groups.items()), "today": today, "within": within, "horizon": horizon},
    )


@login_required
def reminders(request):
    return render(
        request,
        "inspections/reminders.html",
        {
            "reminders": request.user.reminders.select_related(
                "line", "line__item", "line__visit", "line__visit__target"
            )[:200]
        },
    )
