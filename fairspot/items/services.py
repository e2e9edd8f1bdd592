"""Writes to check-item lists. Every change makes a new version (effective date + reason), audited."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import department_for_write, require_department
from fairspot.audit.services import diff, record
from fairspot.core.errors import DomainError
from fairspot.core.records import save_validated
from fairspot.items.models import CheckItem, ItemType
from fairspot.items.versioning import item_content, write_version


def _check_ratios(values: dict[str, Any]) -> None:
    ratio, cap = values.get("default_ratio"), values.get("ratio_cap")
    if values.get("item_type") == ItemType.GENERAL and cap is None:
        raise DomainError(_("A general item needs a ratio cap."), field="ratio_cap")
    if values.get("item_type") == ItemType.KEY and cap is not None:
        raise DomainError(_("Key items have no ratio cap; leave it empty."), field="ratio_cap")
    if ratio is not None and cap is not None and ratio > cap:
        raise DomainError(_("The default ratio exceeds the cap."), field="default_ratio")


@transaction.atomic
def item_create(*, actor, values: dict[str, Any], participating=(), reason: str = "") -> CheckItem:
    values = dict(values)
    values["department"] = department_for_write(actor, values.get("department"))
    require_department(actor, values["department"].pk)
    _check_ratios(values)
    item = CheckItem(**values)
    save_validated(item, {"participating_departments": list(participating)})
    write_version(item, actor=actor, reason=reason or _("Created"), effective_from=item.effective_from)
    record(actor, "items.item.created", item, changes=diff({}, item_content(item)))
    return item


@transaction.atomic
def item_change(
    *, actor, item: CheckItem, values: dict[str, Any], reason: str, effective_from: date, participating=None
) -> CheckItem:
    """Change an item: a new version with its reason and effective date; old versions stay readable."""
    require_department(actor, item.department_id)
    if not reason.strip():
        raise DomainError(_("Say why the item changes."), field="reason")
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    before = item_content(item)
    values = {k: v for k, v in values.items() if k != "department"}
    for field, value in values.items():
        setattr(item, field, value)
    _check_ratios({f: getattr(item, f) for f in ("item_type", "default_ratio", "ratio_cap")})
    item.effective_from = effective_from
    save_validated(
        item, {"participating_departments": list(participating)} if participating is not None else None
    )
    after = item_content(item)
    changes = diff(before, after)
    if not changes:
        return item
    item.version += 1
    item.save(update_fields=["version"])
    write_version(item, actor=actor, reason=reason, effective_from=effective_from)
    record(
        actor, "items.item.changed", item, changes=changes, data={"version": item.version, "reason": reason}
    )
    return item
