"""Shared fixtures: two departments, the office, department administrators and an inspector."""

import pytest

from fairspot.accounts.models import Department, Role, User


@pytest.fixture
def departments(db):
    market = Department.objects.create(
        code="SCJG", name="高新区市场监管工作小组", short_name="市场监管", is_office=True
    )
    fire = Department.objects.create(code="XFJY", name="高新区消防救援大队", short_name="消防")
    return {"market": market, "fire": fire}


@pytest.fixture
def office(departments):
    return User.objects.create_user(
        "office", password="pw", role=Role.OFFICE, department=departments["market"]
    )


@pytest.fixture
def market_admin(departments):
    return User.objects.create_user(
        "market", password="pw", role=Role.DEPT_ADMIN, department=departments["market"]
    )


@pytest.fixture
def fire_admin(departments):
    return User.objects.create_user(
        "fire", password="pw", role=Role.DEPT_ADMIN, department=departments["fire"]
    )


@pytest.fixture
def market_inspector(departments):
    return User.objects.create_user(
        "insp", password="pw", role=Role.INSPECTOR, department=departments["market"]
    )


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
