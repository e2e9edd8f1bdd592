"""The diligence record of a visit and the register of failures."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from fairspot.draws import services as draw_services
from fairspot.inspectors.models import Inspector
from fairspot.stats import measures
from fairspot.stats.filters import Filters
from fairspot.testing.draws import CEREMONY, make_task
from fairspot.testing.inspections import publish

pytestmark = pytest.mark.django_db


def test_diligence_record_shows_item_draw_team_and_deadline(client, office, visit, officer, reviewer, draw):
    publish(officer, reviewer, visit.lines.get(), visit)
    client.force_login(office)
    response = client.get(f"/stats/diligence/{visit.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    line = visit.lines.get()
    assert line.item.code in body and "version 1" in body
    assert draw.draw_id in body and draw.manifest_digest in body
    assert "everything reproduces" in body
    drawn = draw.drawn.get(target=visit.target)
    assert drawn.key in body and "This target is within the cut-off." in body
    for source in draw.sources:
        assert source["name"] in body
    for member in visit.members.all():
        assert member.name in body and member.certificate_no in body
    visit.refresh_from_db()
    assert "no, published late" in body  # the fixture's inspection ended in 2025
    assert visit.deadline.strftime("%Y-%m-%d") in body
    assert "data-print" in body and "<script>" not in body


def test_diligence_record_is_scoped(client, fire_admin, market_inspector, visit):
    client.force_login(fire_admin)
    assert client.get(f"/stats/diligence/{visit.pk}/").status_code == 404
    client.force_login(market_inspector)
    assert client.get(f"/stats/diligence/{visit.pk}/").status_code == 403


def test_failures_register_lists_overdue_results_and_short_teams(client, office, visits):
    visit = visits[0]
    expired = visit.members.exclude(pk=visit.leader_id).first()
    Inspector.objects.filter(pk=expired.pk).update(certificate_expiry=date(2020, 1, 1))
    client.force_login(office)
    body = client.get("/stats/failures/").content.decode()
    assert body.count("Result overdue") == len(visits)
    assert "Team of fewer than two qualified officers" in body
    response = client.get("/stats/failures/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["Kind", "Department", "Record", "Date", "Reason"]
    kinds = [r[0] for r in rows[1:]]
    assert kinds.count("Result overdue") == len(visits)
    short = [r for r in rows[1:] if r[0] == "Team of fewer than two qualified officers"]
    expected = sorted(v.target.name for v in visits if v.members.filter(pk=expired.pk).exists())
    assert sorted(r[2] for r in short) == expected
    assert short[0][4] == "1 officer(s) with a valid certificate"


def test_failures_register_is_empty_for_another_department(client, fire_admin, visits):
    client.force_login(fire_admin)
    body = client.get("/stats/failures/").content.decode()
    assert 'id="empty"' in body


def test_failures_register_lists_abandoned_draws_with_their_reason(client, office, market_admin, district):
    task = make_task(market_admin, district, code="T-9")
    first = draw_services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    draw_services.draw_commit(
        actor=market_admin, task=task, sources=[CEREMONY], replaces=first, reason="仪式视频丢失，重新公开抽取"
    )
    client.force_login(office)
    body = client.get("/stats/failures/").content.decode()
    assert "Draw abandoned" in body and first.draw_id in body and "仪式视频丢失，重新公开抽取" in body
    assert measures.report(Filters(), date(2026, 1, 1))["totals"]["abandoned"] == 1
