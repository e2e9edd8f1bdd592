"""Writes to the target directory. Each one checks the actor's department and leaves an audit entry."""

from typing import Any

from fairspot.accounts.scoping import department_for_write, require_department
from fairspot.audit.records import create_audited, delete_audited, update_audited
from fairspot.directory.models import MARKET_ENTITY_TYPES, Target
from fairspot.lib.uscc import normalize_uscc
from fairspot.reference.selectors import industry_section


def _derive(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if "identifier" in values and values.get("entity_type") in MARKET_ENTITY_TYPES:
        values["identifier"] = normalize_uscc(values["identifier"])
    if "industry_code" in values:
        values["industry_code"] = (values["industry_code"] or "").upper()
        values["industry_section"] = industry_section(values["industry_code"]) or ""
    if values.get("community") is not None:
        values["township"] = values["community"].parent
    return values


def target_create(*, actor, values: dict[str, Any], libraries=None) -> Target:
    values = _derive(values)
    values["department"] = department_for_write(actor, values.get("department"))
    require_department(actor, values["department"].pk)
    return create_audited(
        actor,
        Target(**values),
        action="directory.target.created",
        m2m={"libraries": libraries} if libraries is not None else None,
    )


def target_update(*, actor, target: Target, values: dict[str, Any], libraries=None) -> Target:
    require_department(actor, target.department_id)
    values = _derive(values)
    if "department" in values:
        values["department"] = department_for_write(actor, values["department"])
    return update_audited(
        actor,
        target,
        values,
        action="directory.target.changed",
        m2m={"libraries": libraries} if libraries is not None else None,
    )


def target_delete(*, actor, target: Target) -> None:
    require_department(actor, target.department_id)
    delete_audited(actor, target, action="directory.target.deleted")
