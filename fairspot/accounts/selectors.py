"""Reads of departments and users."""

from fairspot.accounts.models import Department


def department_lookup() -> dict[str, int]:
    """Department code, full name or short name → id."""
    out: dict[str, int] = {}
    for pk, code, name, short in Department.objects.values_list("id", "code", "name", "short_name"):
        for key in (code, name, short):
            if key:
                out[key] = pk
    return out
