"""Open cases keep their targets out of routine draws for the same item, not out of their special task."""

import shutil
from datetime import date
from decimal import Decimal

import pytest

from fairspot.cases import services
from fairspot.cases.exclusions import open_case_exclusions
from fairspot.draws import services as draws
from fairspot.draws.population import EXCLUSION_PROVIDERS, freeze
from fairspot.items.models import CheckItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


def excluded(task) -> dict[str, str]:
    return {e["id"]: e["reason"] for e in freeze(task).exclusions}


def test_provider_is_registered_by_the_app():
    assert open_case_exclusions in EXCLUSION_PROVIDERS


def test_open_case_excluded_from_routine_draw_not_from_its_special_task(
    market_admin, inspectors, departments, food_item, targets, make_lead
):
    open_lead = make_lead(target=targets[0])
    closed_lead = make_lead(target=targets[1])
    services.lead_assign(actor=market_admin, lead=closed_lead, inspectors=inspectors[:1])
    services.lead_close(actor=market_admin, lead=closed_lead, result="查无实据", outcome="unfounded")
    other_item = CheckItem.objects.create(
        department=departments["market"],
        code="JG01",
        name="明码标价",
        category="价格",
        item_type="key",
        default_ratio=Decimal("0.1"),
        effective_from=date(2026, 1, 1),
    )
    make_lead(target=targets[2], item=other_item)  # open, but another matter

    routine = draws.task_create(
        actor=market_admin,
        values={
            "code": "R-1",
            "title": "日常",
            "inspection_date": date(2026, 5, 1),
            "ratio": Decimal("0.05"),
        },
        items=[food_item],
    )
    assert excluded(routine) == {targets[0].identifier: "open_case"}
    assert len(freeze(routine).rows) == len(targets)  # excluded rows stay in the published population

    special = services.special_inspection_create(
        actor=market_admin,
        leads=[open_lead],
        items=[food_item],
        values={"code": "ZX-1", "inspection_date": date(2026, 5, 1), "ratio": Decimal("0.6")},
    )
    assert excluded(special) == {}
    # a committed draw of the routine task carries the exclusion in its manifest
    ceremony = {"name": "ceremony", "kind": "ceremony", "format": "^[0-9a-f]{32}$", "fallback": "abandon"}
    draw = draws.draw_commit(actor=market_admin, task=routine, sources=[ceremony])
    assert draw.excluded == 1

    # once the case is closed, the target is back in routine draws
    services.lead_assign(actor=market_admin, lead=open_lead, inspectors=inspectors[:1])
    services.lead_close(actor=market_admin, lead=open_lead, result="已整改", outcome="corrected")
    assert excluded(routine) == {}
