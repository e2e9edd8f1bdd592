"""Writing audit entries. Call inside the transaction of the change being recorded."""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fairspot.audit.anchors import append_anchor, audit_key
from fairspot.audit.models import AuditEntry

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_301_144  # advisory lock serialising the hash chain on PostgreSQL


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def _message(prev_hash: str, fields: Mapping[str, Any], *, normalise: bool = True) -> bytes:
    """The bytes an entry's hash covers. ``normalise=False`` when the fields are plain JSON already
    (built by ``_build`` or read from the database): the same bytes, without the costly walk."""
    body = json.dumps(
        _plain(fields) if normalise else fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return f"{prev_hash}\n{body}".encode()


def entry_digest(prev_hash: str, fields: Mapping[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256, under the audit key kept outside the database, of the previous hash and the fields."""
    return hmac.digest(key or audit_key(), _message(prev_hash, fields), "sha256").hex()


def legacy_digest(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The unkeyed SHA-256 that chained entries written before the keyed chain (still verified)."""
    return hashlib.sha256(_message(prev_hash, fields)).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "department": entry.department_id,
        "changes": entry.changes,
        "data": entry.data,
    }


@dataclass
class Change:
    """One audit record to be written: what happened to which object."""

    action: str
    obj: Any = None
    changes: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    department_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""


def _lock_chain() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    return last or GENESIS


def _build(actor, change: Change, at) -> AuditEntry:
    obj = change.obj
    object_type = change.object_type or (obj._meta.label_lower if obj is not None else "")
    object_id = change.object_id or (str(obj.pk) if obj is not None else "")
    department_id = change.department_id
    if department_id is None and obj is not None:
        department_id = getattr(obj, "department_id", None)
    return AuditEntry(
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.get_username() if actor is not None and actor.is_authenticated else "system"),
        action=change.action,
        object_type=object_type,
        object_id=object_id,
        object_repr=(change.object_repr or (str(obj) if obj is not None else ""))[:255],
        department_id=department_id,
        changes=_plain(change.changes),
        data=_plain(change.data),
    )


def record_many(actor, changes: Iterable[Change], *, batch_size: int = 2000) -> int:
    """Append many entries in order, chained, in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries must be written inside the transaction of the change")
    prev = _lock_chain()
    keyed = hmac.new(audit_key(), digestmod=hashlib.sha256)
    at = timezone.now()
    batch: list[AuditEntry] = []
    count = 0
    for change in changes:
        entry = _build(actor, change, at)
        entry.prev_hash = prev
        mac = keyed.copy()
        mac.update(_message(prev, _hashed_fields(entry), normalise=False))
        entry.entry_hash = prev = mac.hexdigest()
        batch.append(entry)
        if len(batch) >= batch_size:
            AuditEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        AuditEntry.objects.bulk_create(batch)
        count += len(batch)
    if count:
        transaction.on_commit(anchor_head, robust=True)
    return count


def anchor_head() -> None:
    """Witness the committed chain head in the anchor file (runs after the commit)."""
    head = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    if head is not None:
        append_anchor(*head)


def record(actor, action: str, obj=None, *, changes=None, data=None, **extra) -> None:
    """Append one entry, e.g. ``record(user, "directory.target.changed", target, changes=diff)``."""
    record_many(actor, [Change(action=action, obj=obj, changes=changes or {}, data=data or {}, **extra)])


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """Field → [old, new] for every field whose value differs."""
    keys = set(before) | set(after)
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in sorted(keys)
        if _plain(before.get(k)) != _plain(after.get(k))
    }
