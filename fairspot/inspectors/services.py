"""Writes to inspectors, experts and the conflict register: department-checked and audited."""

from typing import Any

from fairspot.accounts.scoping import department_for_write, require_department
from fairspot.audit.records import create_audited, update_audited
from fairspot.inspectors.models import Conflict, Expert, Inspector


def _create(actor, model, values: dict[str, Any], action: str, m2m=None):
    values = dict(values)
    values["department"] = department_for_write(actor, values.get("department"))
    require_department(actor, values["department"].pk)
    return create_audited(actor, model(**values), action=action, m2m=m2m)


def _update(actor, obj, values: dict[str, Any], action: str, m2m=None):
    require_department(actor, obj.department_id)
    values = dict(values)
    if "department" in values:
        values["department"] = department_for_write(actor, values["department"]) or obj.department
    return update_audited(actor, obj, values, action=action, m2m=m2m)


def inspector_create(*, actor, values: dict[str, Any], items=None) -> Inspector:
    return _create(actor, Inspector, values, "inspectors.inspector.created", {"items": items or []})


def inspector_update(*, actor, inspector: Inspector, values: dict[str, Any], items=None) -> Inspector:
    m2m = {"items": items} if items is not None else None
    return _update(actor, inspector, values, "inspectors.inspector.changed", m2m)


def expert_create(*, actor, values: dict[str, Any]) -> Expert:
    return _create(actor, Expert, values, "inspectors.expert.created")


def expert_update(*, actor, expert: Expert, values: dict[str, Any]) -> Expert:
    return _update(actor, expert, values, "inspectors.expert.changed")


def conflict_create(*, actor, values: dict[str, Any]) -> Conflict:
    person = values.get("inspector") or values.get("expert")
    values = {**values, "department": person.department if person else None}
    return _create(actor, Conflict, values, "inspectors.conflict.declared")


def conflict_update(*, actor, conflict: Conflict, values: dict[str, Any]) -> Conflict:
    return _update(actor, conflict, values, "inspectors.conflict.changed")
