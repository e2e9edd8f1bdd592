"""backup → restore reproduces the demo district: every table, the audit chain, every file's digest."""

import sqlite3
import stat
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fairspot.audit.verify import verify_chain
from fairspot.ops.manifest import file_digest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def var(settings, tmp_path):
    media = tmp_path / "var" / "media"
    (media / "notices").mkdir(parents=True)
    (media / "notices" / "通知书.pdf").write_bytes(b"%PDF-1.4 fairspot\x00\x01" * 100)
    (media / "photo.jpg").write_bytes(bytes(range(256)) * 10)
    settings.MEDIA_ROOT = media
    settings.FAIRSPOT_AUDIT_ANCHOR_FILE = tmp_path / "var" / "audit_anchors"
    return tmp_path / "var"


def _tables():
    with connection.cursor() as cursor:
        return sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("django_"))


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): file_digest(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _snapshot(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT id, prev_hash, entry_hash, action FROM audit_auditentry ORDER BY id")
    return counts, [tuple(row) for row in cursor.fetchall()]


@pytest.fixture
def scratch_database(tmp_path):
    """A database to restore into: a new SQLite file, or a new PostgreSQL database (dropped after)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg

    db = connection.settings_dict
    name = f"fairspot_restore_{uuid.uuid4().hex[:10]}"
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, **params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_reproduces_the_demo_district(var, tmp_path, scratch_database):
    call_command("seed_demo", "--targets", "300", verbosity=0)
    out = tmp_path / "backup"
    call_command("backup", str(out), stdout=StringIO())
    assert verify_chain().ok
    tables = _tables()
    with connection.cursor() as cursor:
        counts, chain = _snapshot(cursor, tables)
    assert counts["directory_target"] >= 300 and chain[-1][3] == "ops.backup.created"
    listed = (out / "MANIFEST").read_text().splitlines()
    assert f"{file_digest(out / 'backup.json')}  backup.json" in listed
    assert any(line.endswith("  media/notices/通知书.pdf") for line in listed)

    url, connect = scratch_database
    restored_var = tmp_path / "restored-var"
    stdout = StringIO()
    call_command("restore", str(out), "--database-url", url, "--var-dir", str(restored_var), stdout=stdout)
    assert "Restored" in stdout.getvalue()
    with connect() as db:
        restored_counts, restored_chain = _snapshot(db.cursor(), tables)
    assert restored_counts == counts
    assert restored_chain == chain
    assert _digests(restored_var / "media") == _digests(var / "media")
    assert file_digest(restored_var / "audit_anchors") == file_digest(var / "audit_anchors")


def test_a_tampered_backup_is_refused_and_nothing_is_written(var, tmp_path, scratch_database):
    call_command("seed_demo", "--targets", "50", verbosity=0)
    out = tmp_path / "backup"
    call_command("backup", str(out), stdout=StringIO())
    call_command("restore", str(out), "--check", stdout=StringIO())
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()} == {0o600}
    photo = out / "media" / "photo.jpg"
    photo.write_bytes(photo.read_bytes()[:-1] + b"!")
    url, _connect = scratch_database
    restored_var = tmp_path / "restored-var"
    with pytest.raises(CommandError, match=r"Nothing was restored: media/photo\.jpg does not match"):
        call_command("restore", str(out), "--database-url", url, "--var-dir", str(restored_var))
    assert not restored_var.exists()
    (out / "extra.txt").write_text("x")
    with pytest.raises(CommandError, match=r"extra\.txt is in the backup but not in its MANIFEST"):
        call_command("restore", str(out), "--check")


def test_backup_refuses_a_directory_that_is_not_empty(var, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", str(tmp_path / "full"))


def test_restore_asks_for_the_audit_key_first(var, tmp_path, settings, scratch_database):
    call_command("seed_demo", "--targets", "50", verbosity=0)
    out = tmp_path / "backup"
    call_command("backup", str(out), stdout=StringIO())
    settings.FAIRSPOT_AUDIT_KEY_FILE = tmp_path / "no-key-here"
    url, _connect = scratch_database
    with pytest.raises(CommandError, match="no-key-here is missing"):
        call_command("restore", str(out), "--database-url", url, "--var-dir", str(tmp_path / "r"))
    assert not (tmp_path / "r").exists() and not settings.FAIRSPOT_AUDIT_KEY_FILE.exists()
