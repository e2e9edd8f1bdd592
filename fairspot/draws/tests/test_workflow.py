"""The draw workflow in the application: commit, two-person sources, reveal once, teams, abandon."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.directory.models import Target
from fairspot.draw import canonical_population_bytes, population_from_rows, verify_bundle
from fairspot.draws import services
from fairspot.draws.models import Draw, DrawnTarget, DrawStatus, Team
from fairspot.inspectors.models import Inspector
from fairspot.testing.directory import uscc
from fairspot.testing.draws import CEREMONY, confirm, key_item, make_task, one_target_with_recusals

pytestmark = pytest.mark.django_db
DRAND = {"name": "drand", "kind": "drand", "round": 123456, "fallback": "next round"}


def test_full_workflow_draws_verifies_and_matches_teams(market_admin, colleague, district):
    task = make_task(market_admin, district)
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    assert draw.population_size == 60 and draw.excluded == 1  # the deregistered one, listed with its reason
    confirm(draw, market_admin, colleague)
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    assert draw.status == DrawStatus.REVEALED and len(draw.seed) == 64
    drawn = list(draw.drawn.filter(alternate=False).select_related("target"))
    assert 8 <= len(drawn) <= 16  # 0.2 × 59 split over two strata by randomized rounding
    assert all(d.target.status == "active" for d in drawn)
    report = verify_bundle(services.draw_dir(draw.draw_id) / "targets", manifest_digest=draw.manifest_digest)
    assert report.ok
    teams = list(Team.objects.filter(draw=draw).prefetch_related("members"))
    assert len(teams) == len(drawn)
    for team in teams:
        members = list(team.members.all())
        assert len(members) == 2 and len({m.pk for m in members}) == 2 and team.leader in members
    assert verify_bundle(services.draw_dir(draw.draw_id) / "teams", manifest_digest=draw.matching_digest).ok
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "draws.task.created",
        "draws.draw.committed",
        "draws.source.entered",
        "draws.draw.revealed",
        "draws.teams.matched",
    } <= actions


def test_reveal_before_all_sources_exist(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY, DRAND]
    )
    confirm(draw, market_admin, colleague)
    with pytest.raises(DomainError, match="drand"):
        services.draw_reveal(actor=market_admin, draw=draw)
    assert not DrawnTarget.objects.exists()
    assert not (services.draw_dir(draw.draw_id) / "targets" / "result.json").exists()


def test_public_sources_need_two_different_officers(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    confirm(draw, market_admin)
    with pytest.raises(DomainError, match="second officer"):
        confirm(draw, market_admin)
    with pytest.raises(DomainError, match="Waiting"):
        services.draw_reveal(actor=market_admin, draw=draw)
    with pytest.raises(DomainError, match="differs"):
        confirm(draw, colleague, value="ffffffffffffffffffffffffffffffff")
    assert draw.source_values.count() == 1
    assert AuditEntry.objects.filter(action="draws.source.mismatch").exists()


def test_source_value_in_wrong_format(market_admin, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    with pytest.raises(DomainError, match="expected 32 characters, each 0–9 or a–f"):
        confirm(draw, market_admin, value="not hex")
    assert draw.source_values.count() == 0


def test_second_reveal_is_refused_and_changes_nothing(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    confirm(draw, market_admin, colleague)
    services.draw_reveal(actor=market_admin, draw=draw)
    before = (services.draw_dir(draw.draw_id) / "targets" / "result.json").read_bytes()
    count = DrawnTarget.objects.count()
    with pytest.raises(DomainError, match="once"):
        services.draw_reveal(actor=market_admin, draw=draw)
    assert (services.draw_dir(draw.draw_id) / "targets" / "result.json").read_bytes() == before
    assert DrawnTarget.objects.count() == count


def test_second_draw_must_name_the_abandoned_one(market_admin, colleague, district):
    task = make_task(market_admin, district)
    first = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    with pytest.raises(DomainError, match="must name"):
        services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    with pytest.raises(DomainError, match="why"):
        services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY], replaces=first, reason=" ")
    second = services.draw_commit(
        actor=market_admin, task=task, sources=[CEREMONY], replaces=first, reason="仪式视频丢失，重新公开抽取"
    )
    first.refresh_from_db()
    assert first.status == DrawStatus.ABANDONED and second.replaces == first
    assert second.draw_id.endswith("-2") and Draw.objects.count() == 2
    assert (
        AuditEntry.objects.get(action="draws.draw.abandoned").data["reason"] == "仪式视频丢失，重新公开抽取"
    )
    with pytest.raises(DomainError):
        confirm(first, market_admin)


def test_committed_draw_cannot_be_deleted(market_admin, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    with pytest.raises(RuntimeError):
        draw.delete()
    assert Draw.objects.filter(pk=draw.pk).exists()


def test_edited_manifest_file_is_detected(market_admin, colleague, district):
    draw = services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    manifest = services.draw_dir(draw.draw_id) / "targets" / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"0.2"', b'"0.9"'))
    confirm(draw, market_admin, colleague)
    with pytest.raises(DomainError):
        services.draw_reveal(actor=market_admin, draw=draw)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.COMMITTED
    assert not DrawnTarget.objects.exists()


def test_other_department_may_not_commit(fire_admin, market_admin, district):
    task = make_task(market_admin, district)
    with pytest.raises(PermissionDenied):
        services.draw_commit(actor=fire_admin, task=task, sources=[CEREMONY])
    assert not Draw.objects.exists()


def test_ratio_above_item_cap_is_refused(market_admin, district):
    with pytest.raises(DomainError, match="cap"):
        make_task(market_admin, district, ratio=Decimal("0.6"))


def test_special_inspection_sets_its_own_ratio(market_admin, district):
    task = make_task(market_admin, district, ratio=Decimal("0.6"), kind="special")
    assert task.kind == "special" and task.ratio == Decimal("0.6")


def test_repeat_window_and_annual_cap_exclude_targets(market_admin, colleague, district):
    first_task = make_task(market_admin, district, ratio=Decimal("0.5"))
    draw = services.draw_commit(actor=market_admin, task=first_task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    services.draw_reveal(actor=market_admin, draw=draw)
    drawn = set(draw.drawn.filter(alternate=False).values_list("target__identifier", flat=True))
    second = make_task(market_admin, district, code="T-2", inspection_date=date(2026, 12, 20))
    again = services.draw_commit(actor=market_admin, task=second, sources=[CEREMONY])
    manifest = (services.draw_dir(again.draw_id) / "targets" / "manifest.json").read_text()
    for ident in drawn:
        assert f'{{"id":"{ident}","reason":"repeat_window"}}' in manifest


@pytest.mark.parametrize("conflicted,expect_team", [(5, False), (4, True)])
def test_recusal_keeps_conflicted_officers_away(
    market_admin, colleague, district, departments, conflicted, expect_team
):
    target = one_target_with_recusals(conflicted)
    task = make_task(market_admin, key_item(departments), ratio=Decimal("1"))
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    assert draw.drawn.filter(target=target, alternate=False).exists()
    if expect_team:
        team = Team.objects.get(draw=draw, target=target)
        members = set(team.members.values_list("staff_no", flat=True))
        assert members == {"SCJG-004", "SCJG-005"}
    else:  # one officer left: no full team, and none sent short
        assert target.identifier in draw.matching_problem and "(SCJG-005)" in draw.matching_problem
        assert not Team.objects.filter(draw=draw).exists()


def test_expired_certificates_never_enter_the_pool(market_admin, colleague, district):
    Inspector.objects.filter(staff_no="SCJG-000").update(certificate_expiry=date(2026, 12, 1))
    task = make_task(market_admin, district)
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    draw = services.draw_reveal(actor=market_admin, draw=draw)
    assert not Team.objects.filter(draw=draw, members__staff_no="SCJG-000").exists()


def test_population_is_independent_of_database_row_order(market_admin, departments):
    rows = [(uscc(), ["410771560", "410771360"][n % 3 % 2]) for n in range(40)]
    random.Random(7).shuffle(rows)
    for ident, town in rows:
        Target.objects.create(
            identifier=ident,
            name="x",
            entity_type="enterprise",
            industry_section="C",
            township_id=town,
            department=departments["market"],
        )
    from fairspot.draws.population import freeze

    frozen = freeze(make_task(market_admin, key_item(departments, Decimal("0.1"))))
    expected = canonical_population_bytes(
        population_from_rows(
            [{"id": i, "industry_section": "C", "township": t} for i, t in sorted(rows)],
            stratify_by=["industry_section", "township"],
        )
    )
    got = canonical_population_bytes(
        population_from_rows(frozen.mappings(), stratify_by=["industry_section", "township"])
    )
    assert got == expected


def test_same_draw_twice_gives_identical_bytes(market_admin, colleague, district, tmp_path, settings):
    results = []
    for attempt in range(2):
        settings.MEDIA_ROOT = tmp_path / f"m{attempt}"
        Draw.objects.all().update(status=DrawStatus.ABANDONED)
        task = make_task(market_admin, district, code=f"T-{attempt}")
        draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
        confirm(draw, market_admin, colleague)
        services.draw_reveal(actor=market_admin, draw=draw)
        population = (services.draw_dir(draw.draw_id) / "targets" / "population.csv").read_bytes()
        results.append((population, sorted(draw.drawn.values_list("target__identifier", "key"))))
        DrawnTarget.objects.filter(draw=draw).delete()
        Team.objects.filter(draw=draw).delete()
    assert results[0][0] == results[1][0]
    # same population and source, different draw id: the keys differ (the manifest digest enters the seed)
    assert results[0][1] != results[1][1]
