"""Target import, writing: batches of parsed rows into directory_target and the library memberships.

A table empty at the start takes new rows only (no look-ups), written in large statements; a large
file (much larger than the table) takes the bulk path: PostgreSQL checks the foreign keys as the rows
arrive, SQLite drops the secondary indexes and builds them again at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import chain

from django.db import connection
from django.utils.translation import gettext as _

from fairspot.audit.services import Change, record, record_many
from fairspot.core.bulk_pg import limit_waits
from fairspot.core.bulkdb import (
    create_indexes,
    deferred_foreign_keys,
    drop_secondary_indexes,
    set_constraints,
)
from fairspot.core.importing import ImportReport
from fairspot.directory.import_parsing import DB_FIELDS, INSERT_FIELDS
from fairspot.directory.models import SpecialLibrary, Target

BULK_MIN_ROWS = 50_000  # estimated rows from which a large import may take the bulk path
BYTES_PER_ROW = 200  # for the estimate of a file's rows from its size (a demo CSV row is ~210 bytes)
SQLITE_IMPORT_CACHE_KIB = 256 * 1024  # page cache of the importing SQLite connection for large files
BULK_BATCH_SIZE = 20_000  # new rows per statement (COPY) when the table was empty at the start
SQLITE_ROWS_PER_INSERT = 50  # rows per INSERT statement on SQLite
SQLITE_MAX_PARAMS = 999  # the lowest SQLITE_MAX_VARIABLE_NUMBER (before SQLite 3.32)


class TargetWriting:
    """TargetImporter's begin(), write() and finish() (state set up by TargetImporter.__init__)."""

    def begin(self, report: ImportReport) -> None:
        """Choose how to write: skip look-ups of existing rows when the table is empty; for a large file
        (much larger than the table), drop the table's secondary indexes now and build them again in
        finish(), which is much cheaper than updating them row by row. All inside the transaction: if
        the import fails, the rollback restores them."""
        if "department" not in self.present_columns and self.own_department is None:
            report.add_error(
                1,
                "维护部门",
                _(
                    "No row says which department maintains it, and no department was given for the whole "
                    "file: add a 维护部门 column (department code or name), or run the import with "
                    "--department CODE (on the web, as a department's user). Nothing was written."
                ),
            )
            return
        self._pending, self._dropped_indexes, self._immediate = [], [], []
        limit_waits()
        self._empty_at_start = not Target.objects.exists()
        estimated_rows = self.file_size // BYTES_PER_ROW
        large = estimated_rows >= BULK_MIN_ROWS
        bulk = self.options.get("bulk")
        if bulk is None:
            bulk = large and (self._empty_at_start or Target.objects.count() * 2 <= estimated_rows)
        self._bulk = bool(bulk)
        if connection.vendor == "sqlite" and (large or self._bulk):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self._sqlite_cache = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        if self._bulk:
            table = Target._meta.db_table
            if connection.vendor == "postgresql":
                # Readers are never blocked: the new rows are COPied straight into the table, batch by
                # batch, which takes only the row-level lock every insert takes (dropping the indexes
                # would lock the table for the whole run). The database keeps the indexes up to date
                # while the parsing worker reads the next rows: on two cores that overlap beat staging
                # the rows and moving them in at the end (1M rows: 42.5 s against 50.2 s). The foreign
                # keys are checked as the rows arrive, rather than one queued check per row at commit.
                self._immediate = deferred_foreign_keys(table)
                set_constraints(self._immediate, "IMMEDIATE")
            else:  # SQLite has one writer anyway, and readers keep their snapshot (WAL)
                self._dropped_indexes = drop_secondary_indexes(table)

    def write(self, batch, report: ImportReport) -> None:
        rows = [p for _, p in batch]
        if self._empty_at_start:  # nothing to update: every row (keys are unique in the file) is new
            if report.ok:  # counted per batch as ever; written in fewer, larger statements
                report.created += len(rows)
                self._pending.extend(rows)
                if len(self._pending) >= BULK_BATCH_SIZE:
                    self._flush()
            return
        row_numbers = [n for n, _ in batch]
        existing = self._existing([p[0][0] for p in rows])
        memberships = (
            self._memberships([v[0] for v in existing.values()])
            if existing and "libraries" in self.present_columns
            else {}
        )
        inserts, updates, audits = [], [], []
        changed_libraries: list[tuple[int, tuple]] = []
        positions = [DB_FIELDS.index(f) for f in self.present]
        for row_no, parsed in zip(row_numbers, rows, strict=True):
            values, libraries = parsed
            old = existing.get(values[0])
            if old is None:
                inserts.append(parsed)
                continue
            old_id, old_dept, old_values = old
            if not self.sees_all and old_dept != self.own_department:
                report.add_error(
                    row_no,
                    None,
                    _("The target %(key)s is maintained by another department.") % {"key": values[0]},
                )
                continue
            new_values = tuple(values[i] for i in positions)
            changes = {
                f: [o, n] for f, o, n in zip(self.present, old_values, new_values, strict=True) if o != n
            }
            if libraries is not None:
                old_libs = sorted(memberships.get(old_id, ()))
                new_libs = sorted(set(libraries))
                if old_libs != new_libs:
                    changes["libraries"] = [old_libs, new_libs]
                    changed_libraries.append((old_id, parsed))
            if changes:
                updates.append((old_id, new_values))
                audits.append(
                    Change(
                        action="directory.target.changed",
                        object_type="directory.target",
                        object_id=str(old_id),
                        object_repr=values[1],
                        department_id=old_dept,
                        changes=changes,
                        data={"import_sha256": report.sha256},
                    )
                )
            else:
                report.unchanged += 1
        if not report.ok:
            return
        ids = self._insert(inserts)
        self._update(updates)
        report.created += len(inserts)
        report.updated += len(updates)
        if audits:
            record_many(self.actor, audits)
        if "libraries" in self.present_columns:
            self._clear_libraries([old_id for old_id, _ in changed_libraries])
            self._add_libraries(inserts, ids)
            self._link([(i, lib) for i, (_, libraries) in changed_libraries for lib in set(libraries)])

    def _flush(self) -> None:
        rows, self._pending = self._pending, []
        ids = self._insert(rows)
        if "libraries" in self.present_columns:
            self._add_libraries(rows, ids)

    def _existing(self, identifiers: list[str]) -> dict[str, tuple]:
        cols = ", ".join(("id", "department_id", *self.present))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT {cols} FROM directory_target WHERE identifier = ANY(%s)",  # noqa: S608
                    [identifiers],
                )
            else:
                marks = ", ".join(["%s"] * len(identifiers))
                cursor.execute(
                    f"SELECT {cols} FROM directory_target WHERE identifier IN ({marks})",  # noqa: S608
                    identifiers,
                )
            out = {}
            for row in cursor.fetchall():
                values = tuple(_normalise_db(f, v) for f, v in zip(self.present, row[2:], strict=True))
                out[row[2]] = (row[0], row[1], values)
            return out

    def _memberships(self, target_ids: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        through = SpecialLibrary.targets.through
        for target_id, lib_id in through.objects.filter(target_id__in=target_ids).values_list(
            "target_id", "speciallibrary_id"
        ):
            out.setdefault(target_id, set()).add(lib_id)
        return out

    def _insert(self, inserts: list[tuple]) -> Sequence[int] | None:
        """Insert the rows; returns their ids (None if they could not be told)."""
        if not inserts:
            return None
        columns = ", ".join(INSERT_FIELDS)
        if connection.vendor == "postgresql":
            # Take the ids from the column's own sequence (what the default would do) and COPY them,
            # so that memberships can be written by id, without looking the rows up again.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(Target._meta.db_table), len(inserts)],
                )
                ids = sorted(i for (i,) in cursor.fetchall())
                with cursor.cursor.copy(f"COPY directory_target ({columns}, id) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for (values, _libraries), target_id in zip(inserts, ids, strict=True):
                        write_row((*values, target_id))
            return ids
        # The values are ready for sqlite3 (text, numbers, None): skip Django's cursor wrapper, and insert
        # SQLITE_ROWS_PER_INSERT rows per statement (fewer statement executions).
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            rows = [values for values, _libraries in inserts]
            _sqlite_insert_many(cursor, "directory_target", INSERT_FIELDS, rows)
            # AUTOINCREMENT gives each new row max(rowid) + 1 and nobody else can write meanwhile, so
            # the ids are consecutive; check both ends rather than trust it.
            last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
            ids = range(last - len(inserts) + 1, last + 1)
            for position in (0, -1):
                found = cursor.execute(
                    "SELECT id FROM directory_target WHERE identifier = ?", (inserts[position][0][0],)
                ).fetchone()
                if found is None or found[0] != ids[position]:
                    return None
            return ids
        finally:
            cursor.close()

    def _update(self, updates) -> None:
        if not updates:
            return
        fields = [f for f in self.present if f != "identifier"]
        assignments = ", ".join(f"{f} = %s" for f in (*fields, "updated_at"))
        data = [(*values[1:], self.now, old_id) for old_id, values in updates]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE directory_target SET {assignments} WHERE id = %s", data)  # noqa: S608

    def _clear_libraries(self, target_ids: list[int]) -> None:
        if target_ids:
            SpecialLibrary.targets.through.objects.filter(target_id__in=target_ids).delete()

    def _add_libraries(self, rows: list[tuple], ids: Sequence[int] | None) -> None:
        """Memberships of rows just inserted: by their ids when known, else found by identifier."""
        if ids is not None:
            self._link(
                [
                    (i, lib)
                    for i, (_values, libraries) in zip(ids, rows, strict=True)
                    if libraries
                    for lib in set(libraries)
                ]
            )
            return
        pairs = [(lib, values[0]) for values, libraries in rows if libraries for lib in set(libraries)]
        if pairs:
            through = SpecialLibrary.targets.through._meta.db_table
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {through} (target_id, speciallibrary_id) "  # noqa: S608
                    "SELECT id, %s FROM directory_target WHERE identifier = %s",
                    pairs,
                )

    def _link(self, pairs: list[tuple[int, int]]) -> None:
        """Insert ``(target id, library id)`` memberships."""
        if not pairs:
            return
        through = SpecialLibrary.targets.through._meta.db_table
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {through} (target_id, speciallibrary_id) FROM STDIN") as copy,
            ):
                for pair in pairs:
                    copy.write_row(pair)
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            cursor = connection.connection.cursor()
            try:
                _sqlite_insert_many(cursor, through, ("target_id", "speciallibrary_id"), pairs)
            finally:
                cursor.close()
        else:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {through} (target_id, speciallibrary_id) VALUES (%s, %s)",  # noqa: S608
                    pairs,
                )

    def finish(self, report: ImportReport) -> None:
        self._flush()
        if self._dropped_indexes:
            create_indexes(self._dropped_indexes)
            self._dropped_indexes = []
        if self._immediate:
            set_constraints(self._immediate, "DEFERRED")
            self._immediate = []
        record(
            self.actor,
            "directory.targets.imported",
            object_type="directory.target",
            object_repr=report.file_name,
            department_id=self.own_department,
            data=report.as_dict(),
        )


def _sqlite_insert_many(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT the rows (in order) with a raw sqlite3 cursor, several rows per statement."""
    per = max(1, SQLITE_MAX_PARAMS // len(columns))
    per = min(per, SQLITE_ROWS_PER_INSERT)
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
    full = len(rows) - len(rows) % per
    if full:
        cursor.executemany(
            head + ", ".join([one] * per),
            [tuple(chain.from_iterable(rows[i : i + per])) for i in range(0, full, per)],
        )
    if full < len(rows):
        cursor.executemany(head + one, rows[full:])


def _normalise_db(field: str, value):
    if field == "established_on" and isinstance(value, date):
        return value.isoformat()
    if field == "abnormal":
        return bool(value)
    return value
