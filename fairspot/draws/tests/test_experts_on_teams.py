"""Experts from the expert pool join teams as advisers (no enforcement powers), drawn by the protocol."""

import pytest
from django.urls import reverse

from fairspot.core.errors import DomainError
from fairspot.directory.models import Target
from fairspot.draw.canonical import parse_canonical_json
from fairspot.draws import services
from fairspot.draws.models import Team
from fairspot.draws.selectors import verify
from fairspot.inspections.services import can_record, visits_create_for_draw
from fairspot.inspectors.models import Conflict, Expert
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(departments):
    rows = [
        Expert.objects.create(
            department=departments["market"],
            name=f"专家{n}",
            organisation="新乡检测院",
            expertise="特种设备；食品" if n % 2 else "食品",
        )
        for n in range(6)
    ]
    Expert.objects.create(department=departments["market"], name="离任专家", organisation="x", status="left")
    return rows


def _reveal(actor, second, task):
    draw = services.draw_commit(actor=actor, task=task, sources=[CEREMONY])
    confirm(draw, actor, second)
    return services.draw_reveal(actor=actor, draw=draw)


def test_each_team_gets_its_experts_by_the_rule_and_verify_agrees(
    market_admin,
    colleague,
    district,
    experts,
):
    task = make_task(market_admin, district, experts_per_team=1, expert_fields="特种设备")
    draw = _reveal(market_admin, colleague, task)
    teams = list(Team.objects.filter(draw=draw).prefetch_related("experts", "members"))
    assert teams and not draw.matching_problem
    able = {e.pk for e in experts if "特种设备" in e.expertise}
    for team in teams:
        chosen = list(team.experts.all())
        assert len(chosen) == 1 and chosen[0].pk in able  # the required expertise, never the one who left
    result = parse_canonical_json((services.draw_dir(draw.draw_id) / "teams" / "result.json").read_bytes())
    by_target = {t.target.identifier: t for t in teams}
    for entry in result["teams"]:
        expected = [int(e["expert"].removeprefix("EXPERT-")) for e in entry["experts"]]
        assert list(by_target[entry["target"]].experts.values_list("pk", flat=True)) == expected
    assert all(report.ok for _, report in verify(draw))


def test_a_recused_expert_is_never_drawn_for_that_target(market_admin, colleague, district, experts):
    task = make_task(market_admin, district, experts_per_team=5)
    targets = list(Target.objects.all())
    for target in targets:
        Conflict.objects.create(
            expert=experts[0],
            target=target,
            kind="relative",
            valid_from="2020-01-01",
            department=task.department,
        )
    draw = _reveal(market_admin, colleague, task)
    assert Team.objects.filter(draw=draw).exists()
    assert not Team.objects.filter(draw=draw, experts=experts[0]).exists()
    assert all(t.experts.count() == 5 for t in Team.objects.filter(draw=draw))


def test_too_few_experts_is_refused_at_commit(market_admin, district, experts):
    task = make_task(market_admin, district, experts_per_team=4, expert_fields="特种设备")
    with pytest.raises(DomainError, match="expert pool"):
        services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    assert not task.draws.exists()


def test_experts_are_advisers_shown_on_the_visit_and_cannot_record(
    client,
    market_admin,
    colleague,
    district,
    experts,
    departments,
):
    from fairspot.accounts.models import Role, User

    task = make_task(market_admin, district, experts_per_team=1)
    draw = _reveal(market_admin, colleague, task)
    visit = visits_create_for_draw(actor=market_admin, draw=draw)[0]
    expert = Team.objects.get(draw=draw, target=visit.target).experts.get()
    assert not visit.members.filter(name=expert.name).exists()  # not a team member: no enforcement powers
    account = User.objects.create_user(
        "zj", password="pw", role=Role.EXPERT, department=departments["market"]
    )
    assert not can_record(account, visit)
    client.force_login(market_admin)
    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert expert.name in page and "no enforcement powers" in page
    page = client.get(reverse("draws:draw", args=[draw.draw_id])).content.decode()
    assert expert.name in page


def test_without_experts_the_pool_keeps_its_old_bytes(market_admin, district):
    from fairspot.draws.pool import freeze_pool

    pool = freeze_pool(make_task(market_admin, district))
    assert not {"experts", "expert_recusals", "experts_per_team"} & set(pool)
