"""Name/code look-ups shared by importers (departments, townships, check items)."""

from fairspot.accounts.models import Department
from fairspot.reference.selectors import region_lookup


def department_lookup() -> dict[str, int]:
    """Department code, full name or short name → id."""
    out: dict[str, int] = {}
    for pk, code, name, short in Department.objects.values_list("id", "code", "name", "short_name"):
        for key in (code, name, short):
            if key:
                out[key] = pk
    return out


def township_lookup() -> dict[str, str]:
    """Township/street code or name → township code (communities are not accepted here)."""
    return {key: town for key, (town, community) in region_lookup().items() if community is None}


def item_lookup() -> dict[str, int | None]:
    """Item code → id. ``DEPT/CODE`` always works; a bare code only when one department uses it."""
    from fairspot.items.models import CheckItem

    out: dict[str, int | None] = {}
    for pk, code, dept in CheckItem.objects.values_list("id", "code", "department__code"):
        out[f"{dept}/{code}"] = pk
        out[code] = None if code in out else pk
    return out
