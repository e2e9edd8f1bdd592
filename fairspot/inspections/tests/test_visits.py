"""Visits from draws: one visit per drawn target, merged across tasks, alternates for closed targets."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.accounts.models import Role, User
from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draws.models import DrawnTarget, Team
from fairspot.inspections import services
from fairspot.inspections.models import Visit, VisitItem, VisitStatus
from fairspot.inspectors.models import Conflict, Inspector
from fairspot.items.models import CheckItem
from fairspot.testing.draws import key_item, only_one_active_target
from fairspot.testing.inspections import DAY, approve, reveal

pytestmark = pytest.mark.django_db


def test_one_visit_per_drawn_target_with_its_team(draw, visits):
    drawn = list(draw.drawn.filter(alternate=False))
    assert len(visits) == len(drawn) == Visit.objects.count()
    for visit in visits:
        team = Team.objects.get(draw=draw, target=visit.target)
        assert visit.leader == team.leader
        assert set(visit.members.all()) == set(team.members.all())
        assert visit.inspection_date == DAY and list(visit.draws.all()) == [draw]
        assert [li.item for li in visit.lines.all()] == list(draw.task.items.all())
        assert visit.deadline == date(2025, 10, 24)  # provisional: 20 working days after the inspection date
    assert AuditEntry.objects.filter(action="inspections.visit.created").count() == len(visits)


def test_visits_are_created_once_and_from_revealed_draws_only(market_admin, fire_admin, draw, visits):
    with pytest.raises(DomainError, match="already"):
        services.visits_create_for_draw(actor=market_admin, draw=draw)
    with pytest.raises(PermissionDenied):
        services.visits_create_for_draw(actor=fire_admin, draw=draw)


def test_same_target_same_day_from_another_department_merges(
    market_admin, colleague, item, departments, fire_admin
):
    """A fire-department task drawing the same target for the same day joins the visit: one team, one door."""
    only_one_active_target()
    key = key_item(departments)
    first = reveal(market_admin, colleague, key, ratio=Decimal("1"))
    services.visits_create_for_draw(actor=market_admin, draw=first)
    for n in range(3):
        Inspector.objects.create(
            department=departments["fire"],
            staff_no=f"XF-{n}",
            name=f"消防员{n}",
            certificate_no=f"X{n}",
            certificate_expiry=date(2030, 1, 1),
        )
    fire_item = CheckItem.objects.create(
        department=departments["fire"],
        code="F1",
        name="消防安全",
        item_type="key",
        default_ratio=Decimal("1"),
        effective_from=date(2025, 1, 1),
        checklist="疏散通道是否畅通",
    )
    fire2 = User.objects.create_user(
        "fire2", password="pw", role=Role.DEPT_ADMIN, department=departments["fire"]
    )
    second = reveal(fire_admin, fire2, fire_item, code="XF-1", ratio=Decimal("1"))
    merged = services.visits_create_for_draw(actor=fire_admin, draw=second)
    visit = Visit.objects.get()
    assert merged == [visit]
    assert set(visit.departments.all()) == {departments["market"], departments["fire"]}
    assert {li.item.code for li in visit.lines.all()} == {"K9", "F1"}
    assert set(visit.draws.all()) == {first, second}
    first_leader = Team.objects.get(draw=first).leader
    assert visit.leader == first_leader  # the first leader stays
    fire_team = set(Team.objects.get(draw=second).members.all())
    assert fire_team <= set(visit.members.all()) and visit.members.count() == 4
    assert VisitItem.objects.get(item=fire_item).department == departments["fire"]
    assert AuditEntry.objects.filter(action="inspections.visit.merged").exists()
    # 检查审批: the joint visit starts only when each department has approved its own draw
    approve(market_admin, first)
    assert not services.is_approved(visit) and services.unapproved_draws(visit) == [second]
    with pytest.raises(DomainError, match=second.draw_id):
        services.require_approved(visit)
    approve(fire_admin, second)
    assert services.is_approved(visit)


def test_closed_target_is_replaced_by_the_next_alternate_with_the_reason(market_admin, draw, visit):
    entry = DrawnTarget.objects.get(draw=draw, target=visit.target)
    expected = (
        DrawnTarget.objects.filter(draw=draw, stratum=entry.stratum, alternate=True).order_by("rank").first()
    )
    with pytest.raises(DomainError, match="why"):
        services.visit_replace_target(actor=market_admin, visit=visit, reason="  ")
    new = services.visit_replace_target(actor=market_admin, visit=visit, reason="现场核实已停业，大门关闭")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPLACED and visit.replace_reason == "现场核实已停业，大门关闭"
    assert new.target == expected.target and new.replaces == visit
    assert set(new.members.all()) == set(visit.members.all()) and new.lines.count() == 1
    assert (
        AuditEntry.objects.get(action="inspections.visit.replaced").data["reason"]
        == "现场核实已停业，大门关闭"
    )
    # the stratum's alternates run out
    with pytest.raises(DomainError):
        services.visit_replace_target(actor=market_admin, visit=new, reason="也已关闭")


def test_alternate_with_a_conflicted_officer_is_refused(market_admin, draw, visit):
    entry = DrawnTarget.objects.get(draw=draw, target=visit.target)
    alternate = DrawnTarget.objects.filter(draw=draw, stratum=entry.stratum, alternate=True).first()
    member = visit.members.first()
    Conflict.objects.create(
        inspector=member,
        target=alternate.target,
        kind="relative",
        valid_from=date(2020, 1, 1),
        department=member.department,
    )
    with pytest.raises(DomainError, match="conflict"):
        services.visit_replace_target(actor=market_admin, visit=visit, reason="已停业")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_other_department_may_not_record(fire_admin, visit):
    with pytest.raises(PermissionDenied):
        services.visit_finish(actor=fire_admin, visit=visit, end_date=date(2025, 9, 26))
