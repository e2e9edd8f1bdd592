"""A bulk import of targets never blocks readers, and never waits (or holds a transaction) for ever.

Measured before the fix, on PostgreSQL: the bulk path dropped the table's indexes, which locks
directory_target (ACCESS EXCLUSIVE) until the import commits — every page reading targets hung for the
whole import. Now the new rows go through a temporary staging table. These tests read the table from a
second connection *while the import is half-way*, with a short lock timeout: a lock would fail them.
The SQLite suite checks the same import gives the same rows (SQLite readers keep their WAL snapshot).
"""

import pytest
from django.db import connection

from fairspot.directory.models import SpecialLibrary, Target
from fairspot.testing.directory import FULL_HEADER, full_row, uscc, write_full_csv

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _second_connection():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
        autocommit=True,
    )


def _rows(n):
    return [full_row(**{"统一社会信用代码": uscc(), "名称": f"新{i}", "专项库": "TZSB"}) for i in range(n)]


def test_readers_are_not_blocked_during_a_bulk_import(tmp_path, departments, settings):
    SpecialLibrary.objects.create(code="TZSB", name="特种设备使用单位", department=departments["market"])
    kept = Target.objects.create(
        identifier=uscc(), name="早已登记的企业", entity_type="enterprise", department=departments["market"]
    )
    path = write_full_csv(tmp_path / "big.csv", _rows(3000))
    seen = {}

    def progress(rows, percent):
        if seen or rows == 0:
            return
        if connection.vendor != "postgresql":
            seen["rows"] = rows
            return
        with _second_connection() as other, other.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
            cursor.execute("SELECT count(*) FROM directory_target")  # raises LockNotAvailable if locked
            seen["count"] = cursor.fetchone()[0]
            cursor.execute("SELECT name FROM directory_target WHERE identifier = %s", [kept.identifier])
            seen["name"] = cursor.fetchone()[0]
            cursor.execute(  # a reader uses the indexes as usual
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'directory_target'"
            )
            seen["indexes"] = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SHOW idle_in_transaction_session_timeout")
            seen["idle"] = cursor.fetchone()[0]
            cursor.execute("SHOW lock_timeout")
            seen["lock"] = cursor.fetchone()[0]
        seen["rows"] = rows

    from fairspot.directory.importers import TargetImporter

    importer = TargetImporter(actor=None, options={"department_id": departments["market"].pk, "bulk": True})
    report = importer.run(path, progress=progress)
    assert report.ok, report.errors
    assert report.created == 3000 and seen["rows"] > 0
    if connection.vendor == "postgresql":
        assert seen["count"] == 1 and seen["name"] == "早已登记的企业"  # the snapshot before the import
        assert seen["indexes"] >= 3
        assert seen["idle"] == "1min" and seen["lock"] == "10s"
    assert Target.objects.count() == 3001
    library = SpecialLibrary.objects.get(code="TZSB")
    assert library.targets.count() == 3000
    assert Target.objects.filter(name="新2999").exists()


def test_a_failed_bulk_import_leaves_nothing(tmp_path, departments):
    """A bad row found after the staging started: nothing in the table, no staging table left."""
    rows = _rows(500)
    rows.append(full_row(**{"统一社会信用代码": "not-a-code"}))
    from fairspot.directory.importers import TargetImporter

    importer = TargetImporter(actor=None, options={"department_id": departments["market"].pk, "bulk": True})
    report = importer.run(write_full_csv(tmp_path / "bad.csv", rows, header=FULL_HEADER))
    assert not report.ok
    assert Target.objects.count() == 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_class WHERE relname = 'directory_target_staging'")
            assert cursor.fetchone()[0] == 0
