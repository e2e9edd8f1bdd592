"""The directory's counts (list pager, dashboard) are kept until the directory changes: a province's
directory is not counted again on every view, and a change is never missed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairspot.directory.models import Target
from fairspot.testing.directory import uscc

pytestmark = pytest.mark.django_db


def _counts(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    counting = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and "directory_target" in q["sql"]
    ]
    return len(counting), response.content.decode()


def test_the_list_count_is_kept_until_a_target_changes(client, market_admin, district):
    client.force_login(market_admin)
    url = reverse("directory:list")
    first, _ = _counts(client, url)
    again, page = _counts(client, url)
    assert first == 1 and again == 0 and "60" in page
    Target.objects.create(
        identifier=uscc(), name="新设企业", entity_type="enterprise", department=market_admin.department
    )
    counted, page = _counts(client, url)
    assert counted == 1 and "61" in page
    searched, page = _counts(client, url + "?q=新设")
    assert searched == 1 and "新设企业" in page  # another list (a search) is counted for itself


def test_the_dashboard_counts_follow_a_status_change(client, market_admin, district):
    client.force_login(market_admin)
    before = client.get("/").context["figures"]["targets_by_status"]
    target = Target.objects.filter(status="active").first()
    target.status = "revoked"
    target.save()
    after = client.get("/").context["figures"]["targets_by_status"]
    assert after["revoked"] == before.get("revoked", 0) + 1 and after["active"] == before["active"] - 1
