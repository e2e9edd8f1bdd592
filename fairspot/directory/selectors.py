"""Reads of the target directory. The directory is shared: every staff member may read it."""

from django.db.models import Q, QuerySet

from fairspot.directory.models import SpecialLibrary, Target


def targets_for(user, *, q: str = "", filters: dict | None = None) -> QuerySet[Target]:
    """Targets visible to the user (the whole shared directory), searched and filtered."""
    qs = Target.objects.select_related("township", "community", "department")
    q = q.strip()
    if q:
        code = q.upper()
        if len(code) == 18 and code.isalnum():
            qs = qs.filter(identifier=code)
        else:
            qs = qs.filter(Q(name__contains=q) | Q(identifier__startswith=code))
    for field, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs


def libraries() -> QuerySet[SpecialLibrary]:
    return SpecialLibrary.objects.select_related("department")
