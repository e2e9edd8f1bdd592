"""Name search indexes, per database.

PostgreSQL: the ``pg_trgm`` extension and a GIN trigram index on ``UPPER(target_name)`` (the expression
Django's ``icontains`` compares), so ``name ILIKE '%新乡科技%'`` is an index search.

SQLite: an FTS5 table with the trigram tokenizer (SQLite ≥ 3.34) over ``target_name``, external
content (the rows stay in ``opendata_publishedresult``), kept in step by triggers. NB: a later
migration that makes Django rebuild ``opendata_publishedresult`` on SQLite drops the triggers; such a
migration must run ``SQLITE_SQL`` again.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

POSTGRES_SQL = [
    "CREATE INDEX IF NOT EXISTS pubres_name_trgm ON opendata_publishedresult "
    "USING gin ((UPPER(target_name::text)) gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS pubres_name_trgm"]

SQLITE_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS opendata_publishedresult_fts USING fts5("
    "target_name, content='opendata_publishedresult', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS opendata_pubres_ai AFTER INSERT ON opendata_publishedresult BEGIN "
    "INSERT INTO opendata_publishedresult_fts(rowid, target_name) VALUES (new.id, new.target_name); END",
    "CREATE TRIGGER IF NOT EXISTS opendata_pubres_ad AFTER DELETE ON opendata_publishedresult BEGIN "
    "INSERT INTO opendata_publishedresult_fts(opendata_publishedresult_fts, rowid, target_name) "
    "VALUES ('delete', old.id, old.target_name); END",
    "CREATE TRIGGER IF NOT EXISTS opendata_pubres_au AFTER UPDATE OF target_name ON opendata_publishedresult "
    "BEGIN INSERT INTO opendata_publishedresult_fts(opendata_publishedresult_fts, rowid, target_name) "
    "VALUES ('delete', old.id, old.target_name); "
    "INSERT INTO opendata_publishedresult_fts(rowid, target_name) VALUES (new.id, new.target_name); END",
    "INSERT INTO opendata_publishedresult_fts(opendata_publishedresult_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS opendata_pubres_ai",
    "DROP TRIGGER IF EXISTS opendata_pubres_ad",
    "DROP TRIGGER IF EXISTS opendata_pubres_au",
    "DROP TABLE IF EXISTS opendata_publishedresult_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [
        TrigramExtension(),  # does nothing on databases other than PostgreSQL
        migrations.RunPython(
            _run({"postgresql": POSTGRES_SQL, "sqlite": SQLITE_SQL}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
