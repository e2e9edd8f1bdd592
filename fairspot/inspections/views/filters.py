"""The filters of the visit list and the due list, read from the query string."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from fairspot.inspections.models import VisitStatus
from fairspot.inspections.selectors import my_visits, visits_for

DUE_WITHIN_DEFAULT = 5
DUE_WITHIN_MAX = 60


def filtered_visits(request):
    """The visits of the list (``scope=mine``: the user's teams' only) filtered by ``q`` (name or
    identifier), ``status`` and the inspection dates ``from``/``to``; an unreadable date is ignored with
    an error message. Returns the queryset and the chosen filters (for the template)."""
    user = request.user
    scope = request.GET.get("scope", "")
    qs = my_visits(user) if scope == "mine" else visits_for(user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(target__name__icontains=q) | Q(target__identifier__icontains=q))
    status = request.GET.get("status", "")
    if status in VisitStatus.values:
        qs = qs.filter(status=status)
    for param, lookup in (("from", "inspection_date__gte"), ("to", "inspection_date__lte")):
        value = request.GET.get(param, "")
        if value:
            try:
                qs = qs.filter(**{lookup: value})
            except ValidationError:
                messages.error(request, _("Unreadable date: %(v)s") % {"v": value[:20]})
    chosen = {
        "q": q,
        "scope": scope,
        "status": status,
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
    }
    return qs, chosen


def due_within(request) -> int:
    """The ``within`` parameter of the due list: working days ahead, 0 to 60 (5 when unreadable)."""
    try:
        return max(0, min(int(request.GET.get("within", str(DUE_WITHIN_DEFAULT))), DUE_WITHIN_MAX))
    except ValueError:
        return DUE_WITHIN_DEFAULT
