"""A locked database answers 503 "try again" in the user's language instead of a server error."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation

from fairspot.core.busy import DatabaseBusyMiddleware


def _middleware():
    return DatabaseBusyMiddleware(lambda request: None)


def test_a_locked_database_is_a_503_that_says_try_again():
    request = RequestFactory().post("/directory/1/edit/")
    with translation.override("zh-hans"):
        response = _middleware().process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "请稍后重试" in response.content.decode()


@pytest.mark.parametrize("error", [OperationalError("no such table: x"), ValueError("database is locked")])
def test_other_errors_are_not_hidden(error):
    assert _middleware().process_exception(RequestFactory().get("/"), error) is None
