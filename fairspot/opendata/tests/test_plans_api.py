"""``/api/v1/plans/``: the published annual plans as open data, and bad input."""

from decimal import Decimal

import pytest

from fairspot.opendata import bulk
from fairspot.plans import services
from fairspot.testing.plans import YEAR, approve, item, make_plan, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(departments):
    return {"general": item(departments["market"], "A01", "general", "0.03", "0.05")}


def test_published_plans_with_items_ratios_and_batches(client, items, market_admin, office):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    approve(make_plan(market_admin, items, title="未公布"), market_admin, office)
    body = client.get("/api/v1/plans/").json()
    assert body["year"] == YEAR and body["years"] == [YEAR]
    [published] = body["plans"]
    assert published["code"] == plan.code and published["version"] == 1
    assert published["department"]["code"] == "SCJG"
    assert [(i["code"], i["ratio"], i["ratio_cap"]) for i in published["items"]] == [("A01", "0.03", "0.05")]
    assert published["batches"] == [
        {"number": 1, "name": "第1批", "start_date": f"{YEAR}-03-01", "end_date": f"{YEAR}-04-30"}
    ]
    # an adjustment under way leaves the published version in the data
    services.plan_adjust(
        actor=market_admin, plan=plan, reason="提高比例", items=[(items["general"], Decimal("0.05"))]
    )
    assert client.get("/api/v1/plans/").json()["plans"][0]["items"][0]["ratio"] == "0.03"
    assert client.get(f"/api/v1/plans/?year={YEAR + 1}").json()["plans"] == []
    assert client.get("/api/v1/").json()["plans"].endswith("/api/v1/plans/")


@pytest.mark.parametrize("query", ["year=26", "year=abcd", "year=２０２６", "plan=1"])
def test_bad_input_is_a_400_naming_the_problem(client, query):
    response = client.get(f"/api/v1/plans/?{query}")
    assert response.status_code == 400 and response.json()["detail"]


def test_no_plan_yet(client, db):
    assert client.get("/api/v1/plans/").json() == {
        "year": None,
        "years": [],
        "firm_annual_cap": None,
        "plans": [],
    }


def test_the_cap_per_firm_is_published(client, db, settings):
    settings.FAIRSPOT_FIRM_ANNUAL_CAP = 3
    assert client.get("/api/v1/plans/").json()["firm_annual_cap"] == 3


def test_the_bulk_files_carry_the_published_plans(items, market_admin, office, tmp_path):
    plan = publish(make_plan(market_admin, items), market_admin, office)
    manifest = bulk.build(tmp_path)
    assert {"published-plans.csv", "published-plans.xlsx"} <= {f["name"] for f in manifest["files"]}
    header, row = (tmp_path / "published-plans.csv").read_text(encoding="utf-8-sig").splitlines()
    assert header.split(",") == bulk.PLAN_HEADER
    assert row.startswith(f"{YEAR},{plan.code},") and ",A01,事项A01," in row and ",0.03,0.05," in row
    assert f"第1批 {YEAR}-03-01–{YEAR}-04-30" in row
