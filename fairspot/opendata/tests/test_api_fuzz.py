"""schemathesis against /api/schema/: generated requests to every operation never get a server error,
never write, and get answers that match the published schema."""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, given, settings

from fairspot.wsgi import application

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith("django_"):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


@contextmanager
def keep_test_connection():
    """Calling the WSGI application directly would close the test's database connection after each
    request (Django's test client avoids this the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_api_operation_survives_generated_requests(client, world):
    assert client.get("/api/v1/results/").status_code == 200  # builds the public read model once
    before = _row_counts()
    with keep_test_connection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {op.path for op in operations} >= {"/api/v1/", "/api/v1/results/"}
        for operation in operations:
            _fuzz(operation)
    assert _row_counts() == before


def _fuzz(operation):
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call()
        assert response.status_code < 500, (case.as_curl_command(), response.status_code)
        if response.status_code == 200:
            case.validate_response(response)

    check()


@pytest.mark.parametrize(
    "since",
    ["0762-09-26T12:30:07+20:30", "0001-01-01T00:00:00+08:00", "0001-01-01", "9999-12-31T23:59:59-12:00"],
)
def test_extreme_changed_since_is_a_request_error_or_an_answer(client, world, since):
    """Found by schemathesis: PostgreSQL refused the +20:30 offset and the API answered 500."""
    response = client.get("/api/v1/results/", {"changed_since": since})
    assert response.status_code in {200, 400}
