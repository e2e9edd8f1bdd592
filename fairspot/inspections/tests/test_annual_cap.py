"""One annual cap per firm, all checks counted: visits, drawn places awaiting their visits, case checks."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draws import services as draw_services
from fairspot.draws.models import Task
from fairspot.draws.population import EXCLUSION_PROVIDERS, freeze
from fairspot.draws.scope import reason_label
from fairspot.inspections import services
from fairspot.inspections.annual_cap import REASON, checks_in_year, firm_cap_exclusions, merge_proposals
from fairspot.inspections.models import CheckApproval, Visit
from fairspot.items.models import CheckItem
from fairspot.testing.draws import CEREMONY, make_task
from fairspot.testing.inspections import approve, reveal

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 15)
BASIS = "《中华人民共和国食品安全法》第一百一十条"


@pytest.fixture
def setting(settings):
    settings.FAIRSPOT_FIRM_ANNUAL_CAP = 2
    return settings


@pytest.fixture
def world(market_admin, colleague, item, departments):
    """A revealed 2026 draw, a target of it with a case check too, and a new task of another item."""
    drawn = reveal(market_admin, colleague, item, code="T-2", inspection_date=DAY)
    first, second = [d.target for d in drawn.drawn.filter(alternate=False).order_by("rank")[:2]]
    case = services.case_check_approve(
        actor=market_admin,
        department=departments["market"],
        subject="SCJG-2026-00001 · 投诉",
        legal_basis=BASIS,
        target=first,
    )
    CheckApproval.objects.filter(pk=case.pk).update(approved_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    other = CheckItem.objects.create(
        department=departments["market"],
        code="B01",
        name="产品质量",
        item_type="general",
        default_ratio=item.default_ratio,
        ratio_cap=item.ratio_cap,
        effective_from=date(2026, 1, 1),
    )
    task = make_task(market_admin, other, code="T-3", inspection_date=date(2026, 12, 20))
    return {"draw": drawn, "first": first, "second": second, "task": task}


def excluded(task) -> dict[str, str]:
    return {e["id"]: e["reason"] for e in freeze(task).exclusions}


def test_the_provider_is_registered():
    assert firm_cap_exclusions in EXCLUSION_PROVIDERS


def test_a_firm_at_the_cap_is_excluded_from_the_next_draw_with_the_reason(setting, world, market_admin):
    counts = checks_in_year(2026, task=world["task"])
    assert counts[world["first"].pk] == 2 and counts[world["second"].pk] == 1  # drawn + case check
    out = excluded(world["task"])
    assert out[world["first"].identifier] == REASON
    assert world["second"].identifier not in out
    assert "cap per firm" in reason_label(REASON)
    # the exclusion is recorded in the draw's manifest, before the randomness exists
    draw = draw_services.draw_commit(actor=market_admin, task=world["task"], sources=[CEREMONY])
    manifest = draw_services.draw_dir(draw.draw_id) / "targets" / "manifest.json"
    assert f'"id":"{world["first"].identifier}","reason":"{REASON}"' in manifest.read_text()


def test_checks_are_counted_in_the_database_for_the_targets_asked(setting, world, market_admin):
    approve(market_admin, world["draw"])
    services.visits_create_for_draw(actor=market_admin, draw=world["draw"])
    every = checks_in_year(2026)
    first, second = world["first"].pk, world["second"].pk
    assert every[first] == 2 and every[second] == 1 and all(n >= 1 for n in every.values())
    assert checks_in_year(2026, at_least=2) == Counter({pk: n for pk, n in every.items() if n >= 2})
    assert checks_in_year(2026, at_least=2) == Counter({first: 2})
    assert checks_in_year(2026, targets=[first]) == Counter({first: 2})
    assert checks_in_year(2026, targets=[second], at_least=2) == Counter()
    assert checks_in_year(2026, targets=[]) == Counter()
    assert checks_in_year(2025) == Counter()


def test_no_cap_set_no_exclusion(settings, world):
    settings.FAIRSPOT_FIRM_ANNUAL_CAP = 0
    assert REASON not in excluded(world["task"]).values()


def test_special_inspections_are_not_limited(setting, world):
    Task.objects.filter(pk=world["task"].pk).update(kind="special")
    assert firm_cap_exclusions(Task.objects.get(pk=world["task"].pk)) == {}


def test_a_joint_visit_counts_once_and_a_replaced_visit_not_at_all(setting, world, market_admin):
    draw = world["draw"]
    approve(market_admin, draw)
    visits = services.visits_create_for_draw(actor=market_admin, draw=draw)
    counts = checks_in_year(2026)
    assert counts[world["first"].pk] == 2  # its visit (no more the drawn place) and its case check
    visit = next(v for v in visits if v.target == world["first"])
    new = services.visit_replace_target(actor=market_admin, visit=visit, reason="已停业")
    counts = checks_in_year(2026)
    assert counts[world["first"].pk] == 1 and counts[new.target_id] == 1
    assert world["first"].identifier not in excluded(world["task"])


def test_a_case_check_past_the_cap_needs_a_recorded_reason(
    setting, world, market_admin, departments, monkeypatch
):
    monkeypatch.setattr(
        "fairspot.inspections.services.approvals.timezone.localdate", lambda: date(2026, 12, 10)
    )
    again = {
        "actor": market_admin,
        "department": departments["market"],
        "subject": "SCJG-2026-00002 · 举报",
        "legal_basis": BASIS,
        "target": world["first"],
    }
    before = CheckApproval.objects.count()
    with pytest.raises(DomainError, match="annual cap per firm") as refused:
        services.case_check_approve(**again)
    assert refused.value.field == "over_cap_reason" and CheckApproval.objects.count() == before
    approval = services.case_check_approve(**again, over_cap_reason="举报涉及食品安全重大隐患，须立即核查")
    assert approval.over_cap_reason.startswith("举报涉及")
    entry = AuditEntry.objects.filter(action="inspections.check.approved").latest("pk")
    assert entry.data["checks_this_year"] == 2 and entry.data["over_cap_reason"] == approval.over_cap_reason
    # below the cap no reason is asked
    services.case_check_approve(**{**again, "target": world["second"]})


def test_the_office_is_warned_about_firms_checked_often(setting, world, client, office, market_admin):
    client.force_login(office)
    html = client.get(reverse("inspections:checks_per_firm"), {"year": 2026}).content.decode()
    assert world["first"].identifier in html and world["second"].identifier not in html
    export = client.get(reverse("inspections:checks_per_firm"), {"year": 2026, "export": "csv"})
    assert world["first"].identifier in b"".join(export.streaming_content).decode("utf-8-sig")
    client.force_login(market_admin)
    assert client.get(reverse("inspections:checks_per_firm")).status_code == 403


def test_planned_visits_of_two_departments_close_together_are_proposed_for_one(
    client, office, departments, visit
):
    def other(day, department):
        return Visit.objects.create(
            target=visit.target, inspection_date=day, department=department, leader=visit.leader
        )

    fire = other(date(2025, 10, 10), departments["fire"])  # 18 days after the market's visit
    other(date(2025, 12, 20), departments["fire"])  # too far from the others
    assert merge_proposals(2025, 30) == [(visit, fire)]
    client.force_login(office)
    html = client.get(reverse("inspections:checks_per_firm"), {"year": 2025}).content.decode()
    title, main = html.split("</title>")[0], html.split("<main")[1]
    assert "<section" not in title and "<" not in title.split("<title>")[1]  # the tab shows words only
    assert reverse("inspections:visit", args=[fire.pk]) in main and "2025-10-10" in main


def test_an_items_own_cap_excludes_firms_checked_for_that_item(settings, world, market_admin, item):
    """The item drawn in T-2 allows one check per firm and year: a new task of it excludes T-2's drawn
    firms (their visits are still to come) with the item's reason; another item's task does not.
    (The item's "no repeat check within" window would exclude them first; it is set to 0 here.)"""
    from fairspot.inspections.annual_cap import ITEM_REASON, item_cap_exclusions, item_checks_in_year

    settings.FAIRSPOT_FIRM_ANNUAL_CAP = 0
    assert item_cap_exclusions in EXCLUSION_PROVIDERS
    CheckItem.objects.filter(pk=item.pk).update(repeat_window_days=0)  # only the cap limits repeats
    again = make_task(market_admin, item, code="T-4", inspection_date=date(2026, 12, 22))
    assert ITEM_REASON not in excluded(again).values()  # no cap on the item yet
    CheckItem.objects.filter(pk=item.pk).update(firm_annual_cap=1)
    drawn = set(world["draw"].drawn.filter(alternate=False).values_list("target__identifier", flat=True))
    out = excluded(Task.objects.get(pk=again.pk))
    assert {i for i, r in out.items() if r == ITEM_REASON} == drawn
    assert ITEM_REASON not in excluded(world["task"]).values()  # T-3 draws another item
    assert "item's cap" in reason_label(ITEM_REASON)
    # once the visits are made, they count instead of the drawn places — still once per firm
    approve(market_admin, world["draw"])
    services.visits_create_for_draw(actor=market_admin, draw=world["draw"])
    counts = item_checks_in_year(2026, item.pk, task=again)
    assert counts[world["first"].pk] == 1 and set(counts.values()) == {1}
    CheckItem.objects.filter(pk=item.pk).update(firm_annual_cap=2)
    assert ITEM_REASON not in excluded(Task.objects.get(pk=again.pk)).values()
