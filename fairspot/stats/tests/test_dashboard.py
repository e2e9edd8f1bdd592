"""The accountability dashboard (charts drawn from json_script, each with its table and export) and the
annual assessment report (printable page and PDF)."""

import io
import json
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fairspot.stats import dashboard, measures
from fairspot.stats.filters import Filters

pytestmark = pytest.mark.django_db


def test_monthly_figures_add_up_to_the_report(visits):
    today = timezone.localdate()
    filters = Filters(year=2025)
    report = measures.report(filters, today)["totals"]
    for table in dashboard.charts(filters, today):
        assert table["total"] == report[table["key"]], table["key"]
        assert table["total"] == sum(r["total"] for r in table["rows"])
    visits_table = next(t for t in dashboard.charts(filters, today) if t["key"] == "visits")
    assert visits_table["rows"][0]["months"][8] == len(visits)  # September 2025


def test_dashboard_page_passes_data_by_json_script_and_loads_vendored_files(client, office, visits):
    client.force_login(office)
    response = client.get("/stats/dashboard/?year=2025")
    body = response.content.decode()
    assert response.status_code == 200
    data = json.loads(
        re.search(r'<script id="stats-data" type="application/json">(.*?)</script>', body).group(1)
    )
    chart = next(c for c in data["charts"] if c["key"] == "visits")
    assert chart["series"][0]["data"][8] == len(visits)
    assert "/static/stats/echarts.min.js" in body and "/static/stats/dashboard.js" in body
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)
    assert scripts == []  # no inline script: the CSP allows files only
    assert "http" not in "".join(re.findall(r'<script[^>]*src="([^"]*)"', body))


def test_each_chart_exports_its_table(client, office, visits):
    client.force_login(office)
    response = client.get("/stats/dashboard/?year=2025&chart=visits&export=xlsx")
    rows = [
        [c.value for c in r]
        for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows()
    ]
    assert rows[0][0] == "Department" and rows[0][-1] == "Total" and len(rows[0]) == 14
    assert rows[-1][0] == "Total" and rows[-1][-1] == len(visits)
    assert client.get("/stats/dashboard/?chart=nonsense&export=xlsx").status_code == 404


def test_dashboard_empty_year_and_scoping(client, office, fire_admin, visits):
    client.force_login(office)
    assert 'id="empty"' in client.get("/stats/dashboard/?year=2001").content.decode()
    client.force_login(fire_admin)
    body = client.get("/stats/dashboard/?year=2025").content.decode()
    assert 'id="empty"' in body and "stats-data" not in body


def test_assessment_report_prints_and_makes_a_pdf(client, office, visits):
    client.force_login(office)
    body = client.get("/stats/assessment/?year=2025").content.decode()
    assert "Annual assessment report 2025" in body and "data-print" in body
    assert visits[0].department.name in body
    response = client.get("/stats/assessment/?year=2025&format=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
