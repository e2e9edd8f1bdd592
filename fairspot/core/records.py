"""A model instance as a plain dict (``snapshot``) and a validated save (``save_validated``), audit-free.

The audited create / update / delete built on them are in ``fairspot.audit.records``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict

from fairspot.core.errors import DomainError


def snapshot(obj: models.Model) -> dict[str, Any]:
    data = model_to_dict(obj)
    for key, value in list(data.items()):
        if isinstance(value, list):  # many-to-many: keep primary keys, sorted
            data[key] = sorted(getattr(v, "pk", v) for v in value)
        elif isinstance(value, models.Model):
            data[key] = value.pk
    return data


def save_validated(obj: models.Model, m2m: dict[str, Any] | None) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise DomainError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
