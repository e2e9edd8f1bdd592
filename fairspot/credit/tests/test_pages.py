"""The credit pages: who sees them, exports, the target's page shows the history and why."""

import io

import pytest
from openpyxl import load_workbook

from fairspot.credit import services
from fairspot.credit.models import Recompute
from fairspot.directory.models import Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(district, office):
    Target.objects.filter(pk=Target.objects.order_by("pk")[1].pk).update(abnormal=True)
    services.recompute_run(Recompute.objects.create())
    return Target.objects.order_by("pk")[1]


def test_target_page_shows_class_history_and_reasons_to_managers_only(
    client, computed, market_admin, market_inspector
):
    client.force_login(market_admin)
    page = client.get(f"/directory/{computed.pk}/").content.decode()
    assert 'id="credit"' in page
    assert "In the abnormal-operation list" in page and "C — higher risk" in page
    client.force_login(market_inspector)
    assert 'id="credit"' not in client.get(f"/directory/{computed.pk}/").content.decode()


def test_class_list_filters_and_exports_xlsx(client, computed, market_admin):
    client.force_login(market_admin)
    page = client.get("/credit/?class=C").content.decode()
    assert computed.name in page
    response = client.get("/credit/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("统一社会信用代码", "信用风险分类", "分类日期", "来源")
    assert any(r[0] == computed.identifier and r[6] == "C" for r in rows[1:])


def test_changes_export_names_rules_in_words(client, computed, market_admin):
    client.force_login(market_admin)
    response = client.get("/credit/changes/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    row = next(r for r in sheet.values if r[0] == computed.identifier)
    assert "abnormal-operation list" in row[5] and row[5] != "abnormal"


def test_pages_for_the_office_and_refusals(client, computed, office, market_admin, market_inspector):
    client.force_login(market_inspector)
    assert client.get("/credit/").status_code == 403
    client.force_login(market_admin)
    assert client.get("/credit/rules/").status_code == 200
    assert client.get("/credit/hazards/").status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get("/credit/hazards/?export=xlsx").streaming_content)), read_only=True
    ).active
    assert ("38", "电气机械和器材制造业", "General hazard", None) in list(sheet.values)
    assert client.get("/credit/hazards/38/").status_code == 403
    assert client.post("/credit/recompute/").status_code == 403
    client.force_login(office)
    response = client.post("/credit/hazards/38/", {"level": "3", "note": "电池制造"})
    assert response.status_code == 302
    response = client.post("/credit/recompute/")
    run = Recompute.objects.first()
    assert response.url == f"/credit/recompute/{run.pk}/"
    assert client.get(f"/credit/recompute/{run.pk}/progress/").json()["percent"] == 100
    assert Target.objects.get(pk=Target.objects.order_by("pk")[2].pk).risk_class == "C"  # hazard 3: 30


def test_imports_are_offered_with_their_templates(client, district, market_admin):
    client.force_login(market_admin)
    for kind in ("credit_classes", "annual_reports"):
        assert client.get(f"/imports/{kind}/new/").status_code == 200
    response = client.get("/imports/annual_reports/template.csv")
    assert (
        b"".join(response.streaming_content).decode("utf-8-sig").startswith("统一社会信用代码,年度,年报情况")
    )
    assert "信用风险分类" in client.get("/imports/columns/").content.decode()
