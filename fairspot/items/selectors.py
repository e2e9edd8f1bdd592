"""Reads of check-item lists: department staff see their own department's items."""

from django.db.models import Q, QuerySet

from fairspot.accounts.scoping import scope_to_department
from fairspot.items.models import CheckItem


def items_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[CheckItem]:
    qs = scope_to_department(user, CheckItem.objects.select_related("department"))
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code__startswith=q.strip()))
    for field, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs


def item_lookup() -> dict[str, int | None]:
    """Item code → id. ``DEPT/CODE`` always works; a bare code only when one department uses it."""
    out: dict[str, int | None] = {}
    for pk, code, dept in CheckItem.objects.values_list("id", "code", "department__code"):
        out[f"{dept}/{code}"] = pk
        out[code] = None if code in out else pk
    return out
