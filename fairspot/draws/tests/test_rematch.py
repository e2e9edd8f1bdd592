"""Re-matching a whole draw against a changed pool: a new committed step, the first matching kept."""

from datetime import date

import pytest
from django.urls import reverse

from fairspot.accounts.models import Role, User
from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draw import verify_bundle
from fairspot.draw.canonical import parse_canonical_json
from fairspot.draws import services
from fairspot.draws.models import Rematch, Team
from fairspot.draws.rematch import rematch_commit, rematch_reveal, rematch_source_enter
from fairspot.draws.replacements import replace_officer
from fairspot.draws.selectors import verify
from fairspot.inspections.models import Visit, VisitStatus
from fairspot.inspections.services import visits_create_for_draw
from fairspot.inspectors.models import Inspector, PersonStatus
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db
OTHER_VALUE = "ffeeddccbbaa99887766554433221100"


@pytest.fixture
def revealed(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    confirm(draw, market_admin, colleague)
    return services.draw_reveal(actor=market_admin, draw=draw)


@pytest.fixture
def second(departments):
    """A second officer of the department, to confirm a public value."""
    return User.objects.create_user(
        "market3", password="pw", role=Role.DEPT_ADMIN, department=departments["market"]
    )


def _enter(rematch, *users, value=OTHER_VALUE):
    for user in users:
        rematch_source_enter(actor=user, rematch=rematch, name="ceremony", value=value)


def _team_map(draw, **filters):
    return {
        t.target_id: (t.leader_id, frozenset(t.members.values_list("pk", flat=True)))
        for t in Team.objects.filter(draw=draw, **filters)
    }


def _retire_and_hire(departments, n_new=3):
    """The pool changes: one officer leaves, three join (with valid certificates)."""
    leaving = Inspector.objects.order_by("staff_no").first()
    Inspector.objects.filter(pk=leaving.pk).update(status=PersonStatus.LEFT)
    for n in range(n_new):
        Inspector.objects.create(
            department=departments["market"],
            staff_no=f"SCJG-N{n}",
            name=f"新检查员{n}",
            certificate_no=f"N{n}",
            certificate_expiry=date(2030, 1, 1),
            posted_township_id="410771560",
            residence_township_id="410771560",
        )
    return leaving


def test_rematch_is_committed_then_revealed_keeping_the_first_matching(
    market_admin, second, revealed, departments
):
    before = _team_map(revealed)
    leaving = _retire_and_hire(departments)
    rematch = rematch_commit(
        actor=market_admin, draw=revealed, sources=[CEREMONY], reason="机构调整，一名检查员退休"
    )
    # committed, not yet revealed: the teams are unchanged and the bundle is committed with new sources
    assert rematch.status == "committed" and _team_map(revealed) == before
    manifest = parse_canonical_json(
        (services.draw_dir(revealed.draw_id) / "rematch-1" / "manifest.json").read_bytes()
    )
    assert manifest["spec"]["draw_id"] == f"{revealed.draw_id}-rematch-1"
    assert rematch.supersedes_digest in manifest["spec"]["title"]
    assert leaving.staff_no not in {i["id"] for i in manifest["spec"]["inspectors"]}
    with pytest.raises(DomainError, match="Waiting for source"):
        rematch_reveal(actor=market_admin, rematch=rematch)
    _enter(rematch, market_admin, second)
    rematch_reveal(actor=market_admin, rematch=rematch)
    rematch.refresh_from_db()
    assert rematch.status == "revealed" and len(rematch.seed) == 64
    # the first matching stays, marked superseded; each target has exactly one current team
    assert _team_map(revealed, current=False) == before
    current = _team_map(revealed, current=True)
    assert set(current) == set(before)
    assert all(leaving.pk not in members for _, members in current.values())
    assert Team.objects.filter(draw=revealed, current=True, rematch=rematch).count() == len(before)
    # both bundles verify, the draw's and the re-matching's
    reports = dict(verify(revealed))
    assert set(reports) == {"targets", "teams", "rematch-1"}
    assert all(r.ok for r in reports.values()), [r.text() for r in reports.values()]
    committed = AuditEntry.objects.get(action="draws.teams.rematch_committed")
    assert committed.data["reason"] == "机构调整，一名检查员退休"
    done = AuditEntry.objects.get(action="draws.teams.rematched")
    assert len(done.data["changes"]) == len(before)


def test_rematch_teams_are_a_function_of_the_new_seed(market_admin, second, revealed, departments):
    """Two re-matchings with different source values give the teams the engine computes from each."""
    _retire_and_hire(departments)
    rematch = rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="r")
    _enter(rematch, market_admin, second)
    rematch_reveal(actor=market_admin, rematch=rematch)
    directory = services.draw_dir(revealed.draw_id) / "rematch-1"
    result = parse_canonical_json((directory / "result.json").read_bytes())
    by_target = {t.target.identifier: t for t in Team.objects.filter(draw=revealed, current=True)}
    for entry in result["teams"]:
        team = by_target[entry["target"]]
        assert team.leader.staff_no == entry["leader"]
        assert sorted(team.members.values_list("staff_no", flat=True)) == sorted(
            m["inspector"] for m in entry["members"]
        )


def test_visits_not_begun_get_the_new_team_and_begun_ones_keep_theirs(
    market_admin, second, revealed, departments
):
    visits = visits_create_for_draw(actor=market_admin, draw=revealed)
    begun = visits[0]
    Visit.objects.filter(pk=begun.pk).update(status=VisitStatus.DONE)
    begun_members = set(begun.members.values_list("pk", flat=True))
    _retire_and_hire(departments)
    rematch = rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="r")
    assert rematch.kept == [begun.target.identifier]
    _enter(rematch, market_admin, second)
    rematch_reveal(actor=market_admin, rematch=rematch)
    assert set(Visit.objects.get(pk=begun.pk).members.values_list("pk", flat=True)) == begun_members
    assert Team.objects.get(draw=revealed, target=begun.target, current=True).rematch is None
    for visit in visits[1:]:
        visit.refresh_from_db()
        team = Team.objects.get(draw=revealed, target=visit.target, current=True)
        assert team.rematch_id == rematch.pk
        assert set(visit.members.values_list("pk", flat=True)) == set(
            team.members.values_list("pk", flat=True)
        )
        assert visit.leader_id == team.leader_id


def test_rematch_needs_a_reason_and_one_at_a_time(market_admin, revealed):
    with pytest.raises(DomainError, match="Say why"):
        rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="  ")
    rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="r")
    with pytest.raises(DomainError, match="still waiting"):
        rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="r")
    assert Rematch.objects.count() == 1


def test_infeasible_rematch_writes_nothing(market_admin, revealed):
    Inspector.objects.exclude(staff_no="SCJG-000").update(status=PersonStatus.LEFT)
    with pytest.raises(DomainError, match="No full team assignment"):
        rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="r")
    assert not Rematch.objects.exists()
    assert not (services.draw_dir(revealed.draw_id) / "rematch-1").exists()
    assert not AuditEntry.objects.filter(action="draws.teams.rematch_committed").exists()


def test_superseded_team_cannot_be_changed_and_new_team_replacements_verify(
    market_admin, second, revealed, departments
):
    _retire_and_hire(departments)
    old = Team.objects.filter(draw=revealed).first()
    rematch = rematch_commit(actor=market_admin, draw=revealed, sources=[CEREMONY], reason="r")
    _enter(rematch, market_admin, second)
    rematch_reveal(actor=market_admin, rematch=rematch)
    old.refresh_from_db()
    with pytest.raises(DomainError, match="superseded"):
        replace_officer(actor=market_admin, team=old, officer=old.leader, reason="illness")
    new = Team.objects.get(draw=revealed, target=old.target, current=True)
    row = replace_officer(actor=market_admin, team=new, officer=new.leader, reason="illness")
    assert row.seq == 1
    directory = services.draw_dir(revealed.draw_id) / "rematch-1"
    assert (directory / "replacements.json").exists()
    assert verify_bundle(directory, manifest_digest=rematch.manifest_digest).ok


def test_draw_page_walk(client, market_admin, second, revealed, departments):
    """The office's path on the page: commit with a reason, two officers enter the value, reveal."""
    _retire_and_hire(departments)
    url = reverse("draws:draw", args=[revealed.draw_id])
    client.force_login(market_admin)
    response = client.post(
        reverse("draws:rematch", args=[revealed.draw_id]),
        {"ceremony": "现场掷骰", "reason": "两名检查员调离"},
    )
    assert response.status_code == 302 and response["Location"].startswith(url)
    page = client.get(url).content.decode()
    assert "两名检查员调离" in page and "Re-matching 1" in page
    enter = reverse("draws:rematch_source_enter", args=[revealed.draw_id, 1])
    client.post(enter, {"name": "ceremony", "value": OTHER_VALUE})
    client.force_login(second)
    client.post(enter, {"name": "ceremony", "value": OTHER_VALUE})
    response = client.post(reverse("draws:rematch_reveal", args=[revealed.draw_id, 1]), follow=True)
    page = response.content.decode()
    assert "The new teams are in place" in page
    assert "earlier teams, superseded by a re-matching" in page


def test_other_department_cannot_rematch(client, fire_admin, revealed):
    client.force_login(fire_admin)
    response = client.post(
        reverse("draws:rematch", args=[revealed.draw_id]), {"ceremony": "x", "reason": "r"}
    )
    assert response.status_code in (403, 404)
    assert not Rematch.objects.exists()
