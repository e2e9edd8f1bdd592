"""A reveal's rows are written in chunks and batches: the same rows as the result and the teams' files,
whatever the chunk size, and a number of statements that does not grow with the number of teams."""

from decimal import Decimal

import pytest

from fairspot.draw.canonical import parse_canonical_json
from fairspot.draws import results, services
from fairspot.draws.files import draw_dir
from fairspot.draws.models import Team
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


def _revealed(market_admin, colleague, district):
    task = make_task(market_admin, district, ratio=Decimal("0.5"))
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    return services.draw_reveal(actor=market_admin, draw=draw)


def test_rows_match_the_result_with_small_chunks(monkeypatch, market_admin, colleague, district):
    monkeypatch.setattr(results, "CHUNK", 7)  # 60 targets: several chunks
    draw = _revealed(market_admin, colleague, district)
    result = parse_canonical_json((draw_dir(draw.draw_id) / "targets" / "result.json").read_bytes())
    expected = {
        (e["id"], alternate)
        for s in result["strata"]
        for alternate, part in ((False, "selected"), (True, "alternates"))
        for e in s[part]
    }
    stored = set(draw.drawn.values_list("target__identifier", "alternate"))
    assert stored == expected and len(expected) > 14
    teams = parse_canonical_json((draw_dir(draw.draw_id) / "teams" / "result.json").read_bytes())["teams"]
    rows = {t.target.identifier: t for t in Team.objects.filter(draw=draw).select_related("target", "leader")}
    assert len(rows) == len(teams) == draw.drawn.filter(alternate=False).count()
    for team in teams:
        row = rows[team["target"]]
        assert row.leader.staff_no == team["leader"]
        assert sorted(row.members.values_list("staff_no", flat=True)) == sorted(
            m["inspector"] for m in team["members"]
        )


def test_teams_are_written_in_a_few_statements(
    market_admin, colleague, district, django_assert_max_num_queries
):
    draw = _revealed(market_admin, colleague, district)
    pool = parse_canonical_json((draw_dir(draw.draw_id) / "inspector-pool.json").read_bytes())
    teams = parse_canonical_json((draw_dir(draw.draw_id) / "teams" / "result.json").read_bytes())["teams"]
    assert len(teams) >= 20
    Team.objects.filter(draw=draw).delete()
    with django_assert_max_num_queries(8):
        results._write_teams(draw, pool, teams)
    assert Team.objects.filter(draw=draw).count() == len(teams)
