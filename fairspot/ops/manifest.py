"""The backup's MANIFEST: ``sha256  relative/path`` lines, the format ``sha256sum -c MANIFEST`` reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

MANIFEST = "MANIFEST"


class BackupError(Exception):
    """A backup cannot be made or restored; the message says what and where."""


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MANIFEST
    )


def write_manifest(root: Path) -> dict[str, str]:
    digests = {name: file_digest(root / name) for name in _files(root)}
    (root / MANIFEST).write_text("".join(f"{d}  {n}\n" for n, d in digests.items()), encoding="utf-8")
    return digests


def check_manifest(root: Path) -> dict[str, str]:
    """Every file listed is present with its digest and nothing else is there; else BackupError."""
    path = root / MANIFEST
    if not path.is_file():
        raise BackupError(f"{root} is not a backup: it has no {MANIFEST}")
    listed: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name or ".." in Path(name).parts or name.startswith("/"):
            raise BackupError(f"{MANIFEST} line {number} is not 'sha256  path': {line[:80]!r}")
        listed[name] = digest
    present = set(_files(root))
    for name in sorted(present - set(listed)):
        raise BackupError(f"{name} is in the backup but not in its {MANIFEST} (added afterwards?)")
    for name, digest in listed.items():
        if name not in present:
            raise BackupError(f"{name} is listed in {MANIFEST} but missing from the backup")
        if file_digest(root / name) != digest:
            raise BackupError(
                f"{name} does not match its SHA-256 in {MANIFEST}: the backup was changed or damaged"
            )
    return listed
