"""The audit chain's secrets and witnesses outside the database.

- The MAC key (``FAIRSPOT_AUDIT_KEY_FILE``, default ``var/audit_key``, created with mode 0600 on first
  use): entries are chained with HMAC-SHA256 under this key, so someone who can write to the database
  but cannot read the key cannot recompute the chain after editing it.
- The anchor file (``FAIRSPOT_AUDIT_ANCHOR_FILE``, default ``var/audit_anchors``, mode 0600,
  append-only): after every committed write, one line ``<entry id> <entry hash> <UTC time>``. Deleting
  the newest entries, or re-chaining with a stolen key, no longer matches what the file witnessed.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

_key_cache: dict[str, bytes] = {}
_last_anchor: dict[str, tuple[int, str]] = {}


def key_path() -> Path:
    return Path(settings.FAIRSPOT_AUDIT_KEY_FILE)


def anchor_path() -> Path:
    return Path(settings.FAIRSPOT_AUDIT_ANCHOR_FILE)


def audit_key() -> bytes:
    """The MAC key (64 hex characters in the key file), created 0600 on first use."""
    path = key_path()
    cached = _key_cache.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it just now
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise RuntimeError(f"the audit key file {path} is not hexadecimal") from exc
    if len(key) < 16:
        raise RuntimeError(f"the audit key in {path} is too short (at least 32 hex characters)")
    _key_cache[str(path)] = key
    return key


def append_anchor(entry_id: int, digest: str) -> None:
    """Append ``id digest time`` to the anchor file (one ``write`` on an O_APPEND descriptor)."""
    path = anchor_path()
    if _last_anchor.get(str(path)) == (entry_id, digest):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"{entry_id} {digest} {datetime.now(UTC).isoformat(timespec='seconds')}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
    finally:
        os.close(fd)
    _last_anchor[str(path)] = (entry_id, digest)


@dataclass(frozen=True)
class Anchor:
    entry_id: int
    digest: str
    at: str
    source: str
    line: int


def read_anchors(path: Path, source: str | None = None) -> tuple[list[Anchor], list[str]]:
    """Anchors in a file of ``id digest [time]`` lines, and the problems with lines that are not."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    if not path.exists():
        return anchors, problems
    name = source or str(path)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, start=1):
            parts = raw.split()
            if not parts or parts[0].startswith("#"):
                continue
            if len(parts) < 2 or not parts[0].isdigit() or len(parts[1]) != 64:
                problems.append(f"{name} line {number}: not an anchor line")
                continue
            at = parts[2] if len(parts) > 2 else ""
            anchors.append(Anchor(int(parts[0]), parts[1].lower(), at, name, number))
    return anchors, problems
