"""Changing a team after the draw: service, audit, bundle and verify, the page action, bad requests."""

import json

import pytest
from django.urls import reverse

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draw import verify_bundle
from fairspot.draws import services
from fairspot.draws.models import Team, TeamReplacement
from fairspot.draws.replacements import replace_officer
from fairspot.inspectors.models import Inspector
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def revealed(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    confirm(draw, market_admin, colleague)
    return services.draw_reveal(actor=market_admin, draw=draw)


def _teams_dir(draw):
    return services.draw_dir(draw.draw_id) / "teams"


def test_replacement_follows_the_rule_is_audited_and_verifies(market_admin, revealed):
    team = Team.objects.filter(draw=revealed).select_related("target").first()
    before = set(team.members.values_list("pk", flat=True))
    officer = team.members.exclude(pk=team.leader_id).first()
    row = replace_officer(actor=market_admin, team=team, officer=officer, reason="illness")
    after = set(team.members.values_list("pk", flat=True))
    assert after == (before - {officer.pk}) | {row.officer_in_id} and row.officer_in_id not in before
    log = json.loads((_teams_dir(revealed) / "replacements.json").read_bytes())
    entry = log["replacements"][0]
    assert entry["out"] == officer.staff_no and entry["in"] == row.officer_in.staff_no
    assert entry["task"] == team.target.identifier and entry["reason"] == "illness"
    report = verify_bundle(_teams_dir(revealed), manifest_digest=revealed.matching_digest)
    assert report.ok, report.text()
    audit = AuditEntry.objects.get(action="draws.team.officer_replaced")
    assert audit.data["out"] == officer.staff_no and audit.data["in"] == row.officer_in.staff_no
    assert audit.data["reason"] == "illness"


def test_replacing_the_leader_makes_the_newcomer_leader(market_admin, revealed):
    team = Team.objects.filter(draw=revealed).first()
    leader = team.leader
    row = replace_officer(
        actor=market_admin, team=team, officer=leader, reason="withdrawal", note="企业申请回避"
    )
    team.refresh_from_db()
    assert row.slot == 0 and team.leader_id == row.officer_in_id


def test_officer_not_on_the_team_is_refused_and_nothing_changes(market_admin, revealed):
    team = Team.objects.filter(draw=revealed).first()
    stranger = Inspector.objects.exclude(pk__in=team.members.all()).first()
    with pytest.raises(DomainError, match="is not on the team"):
        replace_officer(actor=market_admin, team=team, officer=stranger, reason="illness")
    assert not TeamReplacement.objects.exists()
    assert not (_teams_dir(revealed) / "replacements.json").exists()
    assert not AuditEntry.objects.filter(action="draws.team.officer_replaced").exists()


def test_other_reason_needs_an_explanation(market_admin, revealed):
    team = Team.objects.filter(draw=revealed).first()
    with pytest.raises(DomainError, match="Explain"):
        replace_officer(actor=market_admin, team=team, officer=team.leader, reason="other", note="  ")
    assert not TeamReplacement.objects.exists()


def test_page_action_shows_original_and_replacement(client, market_admin, revealed):
    team = Team.objects.filter(draw=revealed).first()
    officer = team.leader
    client.force_login(market_admin)
    url = reverse("draws:replace_officer", args=[revealed.draw_id, team.pk])
    response = client.post(url, {"officer": officer.pk, "reason": "illness", "note": ""})
    assert response.status_code == 302
    row = TeamReplacement.objects.get()
    page = client.get(reverse("draws:draw", args=[revealed.draw_id])).content.decode()
    assert officer.name in page and row.officer_in.name in page and "replacement" in page
    stranger = Inspector.objects.exclude(pk__in=team.members.all()).exclude(pk=officer.pk).first()
    response = client.post(url, {"officer": stranger.pk, "reason": "illness"}, follow=True)
    assert "is not on the team" in response.content.decode()
    assert TeamReplacement.objects.count() == 1


def test_existing_visit_of_the_team_gets_the_new_officer(market_admin, revealed):
    from fairspot.inspections.models import Visit
    from fairspot.inspections.services import visits_create_for_draw

    visits_create_for_draw(actor=market_admin, draw=revealed)
    team = Team.objects.filter(draw=revealed).select_related("target").first()
    visit = Visit.objects.get(draws=revealed, target=team.target)
    leader = team.leader
    assert visit.leader_id == leader.pk
    row = replace_officer(actor=market_admin, team=team, officer=leader, reason="illness")
    visit.refresh_from_db()
    members = set(visit.members.values_list("pk", flat=True))
    assert leader.pk not in members and row.officer_in_id in members and visit.leader_id == row.officer_in_id
    assert AuditEntry.objects.get(action="draws.team.officer_replaced").data["visits"] == [visit.pk]
