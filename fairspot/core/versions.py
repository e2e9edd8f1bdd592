"""A stamp of the data that derived figures depend on, e.g. a task's population preview.

A figure cached under the stamp stays right as long as the stamp stands. The stamp changes after every
committed write to a watched app's models (``watch``: saves, deletes and many-to-many changes, through
Django's signals) and after every write that sends no signal (imports, raw bulk updates), which call
``bump`` themselves. The stamp lives in the cache shared by all processes; if the cache is emptied, a new
stamp is made, so nothing stale is ever served — figures are only computed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "fairspot:data-version"
_WATCHED: set[str] = set()
_read = [False]  # the stamp was read in this process since this process last set it


def current() -> str:
    _read[0] = True
    return cache.get_or_set(KEY, lambda: uuid.uuid4().hex, timeout=None)


def _set_new() -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


def bump() -> None:
    """A new stamp now if this process read the stamp since it last set one (so this transaction's own
    later reads see its writes), and again once the transaction commits: a figure another process
    computed meanwhile from the data before the commit is then left under a dead stamp. A transaction
    that writes many rows sets the stamp a few times, not once per row."""
    if _read[0]:
        _read[0] = False
        _set_new()
    # one callback per transaction: one registered in savepoints all still open here is kept exactly as
    # long as this write is (a savepoint rolled back drops both)
    connection = transaction.get_connection()
    open_now = set(connection.savepoint_ids)
    if not any(cb is _set_new and sids <= open_now for sids, cb, _robust in connection.run_on_commit):
        transaction.on_commit(_set_new)


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label in _WATCHED:
        bump()


def watch(app_labels: Iterable[str]) -> None:
    """Writes to any model of these apps change the stamp (called from an app's ``ready``)."""
    _WATCHED.update(app_labels)
    post_save.connect(_changed, dispatch_uid="fairspot-versions-save")
    post_delete.connect(_changed, dispatch_uid="fairspot-versions-delete")
    m2m_changed.connect(_changed, dispatch_uid="fairspot-versions-m2m")
