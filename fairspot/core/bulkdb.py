"""Bulk writing helpers (inside an import's transaction): secondary indexes dropped and built again,
deferred foreign keys checked at once. See also :mod:`fairspot.core.bulk_pg`."""

from __future__ import annotations

from django.db import connection


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """``(name, CREATE INDEX statement)`` of the table's indexes that back no constraint.

    The names are those Django's introspection lists as non-unique indexes; the statements come from the
    database's catalogue (``pg_get_indexdef``, ``sqlite_master.sql``), so running them again recreates
    exactly the same indexes. Empty for other databases.
    """
    vendor = connection.vendor
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        names = [
            name
            for name, info in sorted(constraints.items())
            if info["index"] and not info["unique"] and not info["primary_key"]
        ]
        if vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
                [connection.ops.quote_name(table)],
            )
        elif vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        else:
            return []
        statements = dict(cursor.fetchall())
    return [(name, statements[name]) for name in names if name in statements]


def drop_secondary_indexes(table: str) -> list[tuple[str, str]]:
    """Drop :func:`secondary_indexes`; returns them for :func:`create_indexes`.

    Only inside a transaction (the rollback of a failed import brings them back). On PostgreSQL this
    locks the table (ACCESS EXCLUSIVE) until the transaction ends.
    """
    if connection.get_autocommit() or (
        connection.vendor == "sqlite" and not connection.connection.in_transaction
    ):
        raise RuntimeError("secondary indexes may only be dropped inside a transaction")
    indexes = secondary_indexes(table)
    with connection.cursor() as cursor:
        for name, _statement in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes


def create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        for _name, statement in indexes:
            cursor.execute(statement)


def deferred_foreign_keys(table: str) -> list[str]:
    """PostgreSQL: names of the foreign keys from and to the table that are checked at commit (Django's
    default). Setting them IMMEDIATE runs the checks pending on the table, which CREATE INDEX requires."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferrable AND condeferred "
            "AND (conrelid = %s::regclass OR confrelid = %s::regclass) ORDER BY conname",
            [connection.ops.quote_name(table)] * 2,
        )
        return [name for (name,) in cursor.fetchall()]


def set_constraints(names: list[str], mode: str) -> None:
    """PostgreSQL: ``SET CONSTRAINTS names IMMEDIATE|DEFERRED`` for the rest of the transaction."""
    if names and mode in ("IMMEDIATE", "DEFERRED"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {', '.join(map(connection.ops.quote_name, names))} {mode}")
