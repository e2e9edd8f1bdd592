"""Reads of inspectors, experts and conflicts: department staff see their own department's people."""

from django.db.models import Q, QuerySet

from fairspot.accounts.scoping import scope_to_department
from fairspot.inspectors.models import Conflict, Expert, Inspector


def inspectors_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[Inspector]:
    qs = scope_to_department(user, Inspector.objects.select_related("department", "posted_township"))
    if q.strip():
        qs = qs.filter(
            Q(name__contains=q.strip())
            | Q(staff_no__startswith=q.strip())
            | Q(certificate_no__startswith=q.strip())
        )
    for field, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs


def experts_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[Expert]:
    qs = scope_to_department(user, Expert.objects.select_related("department"))
    if q.strip():
        qs = qs.filter(
            Q(name__contains=q.strip())
            | Q(organisation__contains=q.strip())
            | Q(expertise__contains=q.strip())
        )
    return qs


def conflicts_for(user) -> QuerySet[Conflict]:
    return scope_to_department(user, Conflict.objects.select_related("inspector", "expert", "target"))
