"""Newest-first searches with a time budget (``fairspot.core.newest_first``).

On PostgreSQL a statement past its budget is cancelled and run again with index walks and sequential
scans off; the settings never outlive the statement, inside or outside a transaction; other errors are
not swallowed. The public results search gives the same page whichever way its statement ran.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import DatabaseError, connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from fairspot.core import newest_first
from fairspot.opendata import keyset, selectors
from fairspot.opendata.models import PublishedResult

PLANS = "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan') FROM pg_sleep(%s)"


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the time budget is PostgreSQL's statement_timeout")


def settings_now() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('enable_indexscan'),"
            " current_setting('enable_seqscan')"
        )
        return cursor.fetchone()


def check_budget():
    results(1)
    sleepy = PublishedResult.objects.annotate(
        plans=RawSQL("(SELECT current_setting('enable_indexscan') FROM pg_sleep(%s))", [0.3])
    )
    before = settings_now()
    assert [r.plans for r in newest_first.evaluate(sleepy.all(), budget_ms=20)] == ["off"]  # a list's page
    assert settings_now() == before
    assert [r.plans for r in newest_first.evaluate(sleepy.all(), budget_ms=2000)] == ["on"]
    assert settings_now() == before
    assert newest_first.rows(PLANS, [0], budget_ms=500) == [("on", "on")]  # within the budget: as planned
    assert settings_now() == before
    assert newest_first.rows(PLANS, [0.3], budget_ms=20) == [("off", "off")]  # past it: again, by index
    assert settings_now() == before  # nothing outlives the statement
    with pytest.raises(DatabaseError):  # any other error is the caller's
        newest_first.rows("SELECT 1 / (%s - 1)", [1])
    assert settings_now() == before


@pytest.mark.django_db
def test_a_statement_past_its_budget_runs_again_by_index_inside_a_transaction(postgresql):
    check_budget()
    assert connection.in_atomic_block
    assert PublishedResult.objects.count() == 1  # the transaction is still usable


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_past_its_budget_runs_again_by_index_outside_a_transaction(postgresql):
    assert not connection.in_atomic_block
    check_budget()


@pytest.mark.django_db
def test_other_databases_run_the_statement_as_it_is():
    assert newest_first.rows("SELECT %s, %s", [1, "华扬"]) == [(1, "华扬")]
    results(3)
    assert len(newest_first.evaluate(PublishedResult.objects.all())) == 3


NAMES = ["新乡华扬纺织有限公司", "华扬纺织品店", "牧野区华扬纺织厂", "卫辉市诺隆数据中心", "华扬纺"]


def results(n: int) -> None:
    now = timezone.now()
    PublishedResult.objects.bulk_create(
        PublishedResult(
            source_id=i,
            target_identifier=f"91410700{i:010d}",
            target_name=NAMES[i % len(NAMES)] + str(i),
            entity_type="enterprise",
            item_code="K1",
            item_name="事项",
            department="市场监督管理局",
            authority="市场监督管理局",
            inspection_date=date(2026, 5, 1),
            result_label="未发现问题",
            published_at=datetime(2026, 5, 2, tzinfo=now.tzinfo),
            updated_at=now,
            digest="0" * 64,
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_the_results_search_is_the_same_page_whichever_way_it_ran(monkeypatch):
    results(200)
    searches = [
        ("华扬纺织", {}),
        ("华扬纺织", {"before": 150}),
        ("华扬 纺织", {"after": 20}),
        ("诺隆数据", {}),
    ]
    planned = [keyset.search(q, size=7, **bound) for q, bound in searches]
    numbered = [selectors.search(q, 2, 7).rows for q in ("华扬纺织", "诺隆数据")]
    assert [r.target_name for r in planned[0].rows][:2] == ["牧野区华扬纺织厂197", "华扬纺织品店196"]
    # every statement now overruns its budget (a sleep before it), so each runs again by index
    monkeypatch.setattr(newest_first, "_GUARDED", "SET LOCAL statement_timeout = 1; SELECT pg_sleep(0.05); ")
    if connection.vendor != "postgresql":
        return
    assert [keyset.search(q, size=7, **bound) for q, bound in searches] == planned
    assert [selectors.search(q, 2, 7).rows for q in ("华扬纺织", "诺隆数据")] == numbered
