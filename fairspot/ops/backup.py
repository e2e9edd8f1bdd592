"""Backup and restore: a consistent database snapshot, the media files and the audit anchors, with a
MANIFEST of SHA-256s that restore checks before it writes anything.

A backup is a directory::

    MANIFEST            sha256  path   (``sha256sum -c MANIFEST`` checks it too)
    backup.json         when, which database engine, the audit chain head at the snapshot
    database.sqlite3    SQLite: the online backup API's copy   | database.pgdump  PostgreSQL: pg_dump -Fc
    media/...           var/media
    audit_anchors       the append-only anchor file

The audit MAC key is NOT in it: keep var/audit_key in a separate, safer place (see docs/security.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from fairspot.audit.anchors import anchor_path, key_path
from fairspot.audit.services import record
from fairspot.ops.manifest import BackupError, check_manifest, write_manifest

FORMAT = "fairspot-backup/1"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-d", db["NAME"]]
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools are needed)") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _sqlite_head(db: sqlite3.Connection) -> list | None:
    row = db.execute("SELECT id, entry_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1").fetchone()
    return list(row) if row else None


def make_backup(out: Path, actor=None) -> dict:
    """Write a backup directory at ``out`` (which must not exist or be empty). Returns backup.json."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} already exists and is not an empty directory")
    with transaction.atomic():
        record(
            actor, "ops.backup.created", object_type="backup", object_repr=out.name, data={"path": str(out)}
        )
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    out.chmod(0o700)  # the backup holds personal data: only its owner reads it
    db = connection.settings_dict
    meta: dict = {"format": FORMAT, "created": timezone.now().isoformat(), "vendor": connection.vendor}
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out / SQLITE_FILE)
        try:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal/-shm
            meta["audit_head"] = _sqlite_head(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, entry_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
            row = cursor.fetchone()
        meta["audit_head"] = list(row) if row else None  # the dump may hold entries written after it
        args, env = _pg_args(db)
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(out / PG_FILE), *args], env)
    else:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, out / "media", symlinks=False)
    anchors = anchor_path()
    if anchors.is_file():
        shutil.copy2(anchors, out / "audit_anchors")
    (out / "backup.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    meta["files"] = len(write_manifest(out))
    for path in out.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return meta


@dataclass
class RestoreResult:
    vendor: str
    database: str
    files: int
    set_aside: list[str]


def _set_aside(path: Path, stamp: str) -> str | None:
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.before-restore-{stamp}")
    path.rename(aside)
    return str(aside)


def restore_backup(src: Path, database_url: str | None = None, var_dir: Path | None = None) -> RestoreResult:
    """Check the MANIFEST (a mismatch writes nothing), then restore the database, media and anchors.

    ``database_url`` restores into another database than the configured one (it must exist and be of
    the backup's engine); ``var_dir`` puts media and anchors under another directory. Media and the
    anchor file that were there are kept beside them as ``*.before-restore-<time>``.
    """
    listed = check_manifest(src)
    meta = json.loads((src / "backup.json").read_text(encoding="utf-8")) if "backup.json" in listed else {}
    if meta.get("format") != FORMAT:
        raise BackupError(f"{src}/backup.json is not a {FORMAT} description")
    db = dj_database_url.parse(database_url) if database_url else dict(connection.settings_dict)
    vendor = "sqlite" if "sqlite" in db["ENGINE"] else "postgresql" if "postgresql" in db["ENGINE"] else ""
    if meta.get("audit_head") and not key_path().is_file():
        raise BackupError(
            f"the audit key {key_path()} is missing: copy it from where it is kept apart from the backups "
            "first; without it the restored audit log cannot be verified (and new entries would start a "
            "new key)"
        )
    if vendor != meta.get("vendor"):
        raise BackupError(
            f"this backup is of a {meta.get('vendor')} database; the target is {vendor or db['ENGINE']}"
        )
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{src / SQLITE_FILE}?mode=ro", uri=True)
        if database_url is None:
            connection.close()
        target = sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg_args(db)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(src / PG_FILE),
            ],
            env,
        )
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    media = (var_dir / "media") if var_dir else Path(settings.MEDIA_ROOT)
    anchors = (var_dir / "audit_anchors") if var_dir else anchor_path()
    set_aside = [p for p in (_set_aside(media, stamp), _set_aside(anchors, stamp)) if p]
    media.parent.mkdir(parents=True, exist_ok=True)
    if (src / "media").is_dir():
        shutil.copytree(src / "media", media)
    else:
        media.mkdir()
    if (src / "audit_anchors").is_file():
        shutil.copy2(src / "audit_anchors", anchors)
        os.chmod(anchors, 0o600)
    if database_url is None:
        with transaction.atomic():
            record(
                None,
                "ops.restore.done",
                object_type="backup",
                object_repr=src.name,
                data={"from": str(src), "made": meta.get("created")},
            )
    return RestoreResult(vendor, str(db["NAME"]), len(listed), set_aside)
