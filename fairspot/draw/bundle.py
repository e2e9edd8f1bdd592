"""Bundle directories: what ``commit`` writes, what ``reveal`` adds, what ``verify`` reads.

A bundle is a flat directory::

    population.csv   canonical population (target draws only)
    manifest.json    canonical JSON; its SHA-256 is the published commitment
    sources.json     revealed source values (after reveal)
    result.json      the draw result (after reveal)
    SHA256SUMS       "<sha256 hex>  <file name>\\n" for every other file, sorted by name

Every operation computes everything in memory first and writes only when it cannot fail any more;
files are written under temporary names and renamed, the index last.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import BundleError
from .population import POPULATION_FILE

MANIFEST_FILE = "manifest.json"
SOURCES_FILE = "sources.json"
RESULT_FILE = "result.json"
INDEX_FILE = "SHA256SUMS"
_INDEX_LINE = re.compile(rb"([0-9a-f]{64})  ([A-Za-z0-9_.-]+)\n")


def index_bytes(files: Mapping[str, bytes]) -> bytes:
    """The SHA256SUMS text for ``files`` (name → bytes)."""
    return b"".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n".encode("ascii") for name in sorted(files)
    )


def parse_index(data: bytes) -> dict[str, str]:
    """Parse SHA256SUMS strictly (name → hex). Raises BundleError naming the bad line."""
    out: dict[str, str] = {}
    pos, line = 0, 1
    while pos < len(data):
        m = _INDEX_LINE.match(data, pos)
        if not m:
            raise BundleError(
                "malformed line (expected '<64 hex>  <name>\\n')", where=f"{INDEX_FILE} line {line}"
            )
        name = m.group(2).decode("ascii")
        if name in out or (out and name < max(out)):
            raise BundleError("names must be unique and sorted", where=f"{INDEX_FILE} line {line}")
        out[name] = m.group(1).decode("ascii")
        pos, line = m.end(), line + 1
    return out


def read_bundle(directory: str | Path) -> dict[str, bytes]:
    """All regular files of a bundle directory, name → bytes. Subdirectories are an error."""
    root = Path(directory)
    if not root.is_dir():
        raise BundleError("not a directory", where=str(root))
    files: dict[str, bytes] = {}
    for entry in sorted(root.iterdir()):
        if not entry.is_file() or entry.is_symlink():
            raise BundleError("bundles hold only regular files", where=str(entry))
        files[entry.name] = entry.read_bytes()
    return files


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_new_bundle(out: str | Path, files: Mapping[str, bytes]) -> None:
    """Create bundle ``out`` (must not exist, or be an empty directory) holding ``files`` + index."""
    target = Path(out)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BundleError(
            "already exists and is not an empty directory; a commit never overwrites", where=str(target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        (staging / INDEX_FILE).write_bytes(index_bytes(files))
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        for child in staging.iterdir():
            child.unlink()
        staging.rmdir()
        raise


def add_to_bundle(directory: str | Path, existing: Mapping[str, bytes], new: Mapping[str, bytes]) -> None:
    """Add files to a bundle, then rewrite the index over all files."""
    root = Path(directory)
    for name, data in new.items():
        _write_atomic(root / name, data)
    everything = {k: v for k, v in existing.items() if k != INDEX_FILE}
    everything.update(new)
    _write_atomic(root / INDEX_FILE, index_bytes(everything))


__all__ = [
    "INDEX_FILE", "MANIFEST_FILE", "POPULATION_FILE", "RESULT_FILE", "SOURCES_FILE", "add_to_bundle",
    "index_bytes", "parse_index", "read_bundle", "write_new_bundle",
]  # fmt: skip
