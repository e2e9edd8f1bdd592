"""Audited create / update / delete of one model instance: one audit entry in the same transaction."""

from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from fairspot.audit.services import diff, record
from fairspot.core.errors import DomainError
from fairspot.core.records import save_validated, snapshot


@transaction.atomic
def create_audited(
    actor, obj: models.Model, *, action: str, m2m: dict[str, Any] | None = None
) -> models.Model:
    save_validated(obj, m2m)
    record(actor, action, obj, changes=diff({}, snapshot(obj)))
    return obj


@transaction.atomic
def update_audited(
    actor, obj: models.Model, values: dict[str, Any], *, action: str, m2m: dict[str, Any] | None = None
) -> models.Model:
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = snapshot(locked)
    for field, value in values.items():
        setattr(locked, field, value)
    save_validated(locked, m2m)
    changes = diff(before, snapshot(locked))
    if changes:
        record(actor, action, locked, changes=changes)
    return locked


@transaction.atomic
def delete_audited(actor, obj: models.Model, *, action: str) -> None:
    before = snapshot(obj)
    label = str(obj)
    pk = obj.pk
    department_id = getattr(obj, "department_id", None)
    try:
        obj.delete()
    except ProtectedError as exc:
        raise DomainError(_("“%(obj)s” is still referenced and cannot be deleted.") % {"obj": label}) from exc
    record(
        actor,
        action,
        object_type=obj._meta.label_lower,
        object_id=str(pk),
        object_repr=label,
        department_id=department_id,
        changes=diff(before, {}),
    )
