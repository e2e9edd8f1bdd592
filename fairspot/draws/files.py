"""Where a draw's files live, and how a new draw's bundle waits for the transaction that records it.

A committed draw's bundle is ``MEDIA_ROOT/draws/<draw_id>/``. A new one is written first to
``MEDIA_ROOT/draws/.staging/<draw_id>-<random>/`` (the same file system) and renamed into place only
when the database transaction that records the draw commits (``transaction.on_commit``). Until then
``draw_dir`` answers the staging directory, so the rest of the same transaction (a reveal in a test, a
verification) reads and writes the files it will publish. A transaction that fails, ours or an
enclosing one, leaves nothing behind: the on-commit callback holds the last reference to the
``StagedBundle``, and dropping it removes the staging directory (``weakref.finalize``; at the latest
when the process exits). A staging directory left by a killed process is never read and can be
deleted; ``stale_staging`` lists those older than a day.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
import weakref
from functools import lru_cache
from pathlib import Path

from django.conf import settings

_staged: dict[str, Path] = {}
_lock = threading.Lock()


def draws_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "draws"


def staging_root() -> Path:
    return draws_root() / ".staging"


def draw_dir(draw_id: str) -> Path:
    """The draw's bundle directory: the staging one while the transaction that writes it is open."""
    with _lock:
        staged = _staged.get(draw_id)
    return staged if staged is not None else draws_root() / draw_id


def draw_files_exist(draw_id: str) -> bool:
    with _lock:
        staged = draw_id in _staged
    return staged or (draws_root() / draw_id).exists()


def _drop(draw_id: str, path: Path) -> None:
    with _lock:
        if _staged.get(draw_id) == path:
            del _staged[draw_id]
    shutil.rmtree(path, ignore_errors=True)


class StagedBundle:
    """A new draw's directory, written in staging and promoted when its transaction commits."""

    def __init__(self, draw_id: str):
        self.draw_id = draw_id
        self.final = draws_root() / draw_id
        self.path = staging_root() / f"{draw_id}-{uuid.uuid4().hex}"
        self.path.mkdir(parents=True)
        with _lock:
            _staged[draw_id] = self.path
        self._drop = weakref.finalize(self, _drop, draw_id, self.path)

    def promote(self) -> None:
        """Rename into place (registered with ``transaction.on_commit``)."""
        self.path.replace(self.final)
        self._drop.detach()
        with _lock:
            if _staged.get(self.draw_id) == self.path:
                del _staged[self.draw_id]

    def discard(self) -> None:
        self._drop()


def stale_staging(older_than_seconds: int = 86_400) -> list[Path]:
    """Staging directories no open transaction of this process owns, older than the given age."""
    root = staging_root()
    if not root.exists():
        return []
    with _lock:
        live = set(_staged.values())
    cutoff = time.time() - older_than_seconds
    return sorted(p for p in root.iterdir() if p not in live and p.stat().st_mtime < cutoff)


@lru_cache(maxsize=64)
def _parsed_manifest(path: str, mtime_ns: int, size: int) -> dict:
    from fairspot.draw import parse_canonical_json

    return parse_canonical_json(Path(path).read_bytes())


def committed_manifest(root: Path) -> dict | None:
    """The target draw's manifest under ``root`` (a draw's directory), parsed once per process while the
    file is unchanged (a province's manifest lists every exclusion: parsing it on each page view cost a
    quarter of the draw page). Read only: callers must not change the returned dict."""
    from fairspot.draw.errors import DrawError

    path = root / "targets" / "manifest.json"
    try:
        stat = path.stat()
        return _parsed_manifest(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, DrawError):
        return None
