"""The suite's set-up: the shared fixtures (``fairspot.testing.fixtures``), each database session ended
cleanly, each test's own audit anchor file."""

import pytest

pytest.register_assert_rewrite("fairspot.testing")
pytest_plugins = ["fairspot.testing.fixtures"]


@pytest.fixture(scope="session", autouse=True)
def _end_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """The live server's daemon request threads may still hold a connection when the session ends;
    PostgreSQL then refuses to drop the test database. End those sessions first (SQLite needs nothing)."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings, tmp_path):
    """Each test witnesses its audit chain in its own anchor file (the database is emptied between tests)."""
    settings.FAIRSPOT_AUDIT_ANCHOR_FILE = tmp_path / "audit_anchors"
