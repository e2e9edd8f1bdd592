"""Reads of leads: a department sees its own leads; the joint-meeting office sees all."""

from django.db.models import Q, QuerySet

from fairspot.accounts.scoping import scope_to_department
from fairspot.cases.models import Lead


def leads_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[Lead]:
    qs = scope_to_department(
        user, Lead.objects.select_related("department", "target", "item").prefetch_related("assignees")
    )
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(number__startswith=q)
            | Q(category__contains=q)
            | Q(target__name__contains=q)
            | Q(target__identifier__startswith=q.upper())
            | Q(description__contains=q)
        )
    for field, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs


def categories_for(user) -> list[str]:
    """Categories of the leads the user sees, for choosing a special inspection's leads."""
    return sorted(set(leads_for(user).order_by().values_list("category", flat=True)))
