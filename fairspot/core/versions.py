"""Stamps of the data that derived figures depend on, e.g. a task's population preview or the count of
the directory.

A figure cached under a stamp stays right as long as the stamp stands. Each stamp has a name and the
apps it watches (``watch``): it changes after every committed write to those apps' models (saves,
deletes and many-to-many changes, through Django's signals), and every write that sends no signal
(imports, raw bulk updates) calls ``bump`` itself, which changes every stamp. The stamps live in the
cache shared by all processes; if the cache is emptied, new stamps are made, so nothing stale is ever
served — figures are only computed again.

* ``data`` — what decides a task's population (directory, items, draws, cases, credit, visits);
* ``directory`` — the directory alone (its counts), so that the many writes of daily inspection work
  do not make a province's directory be counted again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "fairspot:data-version"
KEEP_SECONDS = 7 * 24 * 3600  # figures under a stamp; a dead stamp's figures are never read again
_WATCHED: dict[str, set[str]] = {}  # stamp name → app labels
_read: set[str] = set()  # stamps read in this process since this process last set them


def _key(name: str) -> str:
    return PREFIX if name == "data" else f"{PREFIX}:{name}"


def current(name: str = "data") -> str:
    _read.add(name)
    return cache.get_or_set(_key(name), lambda: uuid.uuid4().hex, timeout=None)


def _set_new(names: tuple[str, ...]) -> None:
    cache.set_many({_key(n): uuid.uuid4().hex for n in names}, timeout=None)


def _all() -> tuple[str, ...]:
    return tuple(sorted({"data", *_WATCHED}))


def bump(*names: str) -> None:
    """New stamps (all of them if none is named): at once, so that this transaction's own later reads
    see its writes, and again once the transaction commits, so that a figure another process computed
    meanwhile from the data before the commit is left under a dead stamp. Within a transaction the
    stamp is set again only after it was read, so writing many rows sets it a few times, not per row."""
    names = names or _all()
    connection = transaction.get_connection()
    # a callback registered in savepoints all still open here lives exactly as long as this write does
    open_now = set(connection.savepoint_ids)
    pending = {
        cb.stamps
        for sids, cb, _robust in connection.run_on_commit
        if sids <= open_now and hasattr(cb, "stamps")
    }
    first = names not in pending
    now = names if first else tuple(n for n in names if n in _read)
    if now:
        _read.difference_update(now)
        _set_new(now)
    if first and connection.in_atomic_block:
        transaction.on_commit(_callback(names))


def _callback(names: tuple[str, ...]) -> Callable[[], None]:
    def run() -> None:
        _set_new(names)

    run.stamps = names  # type: ignore[attr-defined]
    return run


def _changed(sender, **kwargs) -> None:
    label = sender._meta.app_label
    names = tuple(sorted(n for n, labels in _WATCHED.items() if label in labels))
    if names:
        bump(*names)


def watch(app_labels: Iterable[str], name: str = "data") -> None:
    """Writes to any model of these apps change the stamp ``name`` (called from an app's ``ready``)."""
    _WATCHED.setdefault(name, set()).update(app_labels)
    post_save.connect(_changed, dispatch_uid="fairspot-versions-save")
    post_delete.connect(_changed, dispatch_uid="fairspot-versions-delete")
    m2m_changed.connect(_changed, dispatch_uid="fairspot-versions-m2m")


def watches(name: str, app_label: str) -> bool:
    return app_label in _WATCHED.get(name, ())


def cached(name: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` kept under the stamp ``name``: computed once per stamp."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cache.get_or_set(f"fairspot:figure:{name}:{current(name)}:{digest}", compute, timeout=KEEP_SECONDS)
