"""When the teams cannot be matched, the draw page says why in numbers an officer can check (places
needed against what the frozen pool can give), with the engine's own explanation kept for checking."""

from decimal import Decimal

import pytest

from fairspot.draws import services
from fairspot.draws.selectors import team_shortage
from fairspot.testing.draws import CEREMONY, confirm, key_item, make_task, one_target_with_recusals

pytestmark = pytest.mark.django_db


def _revealed(market_admin, colleague, item, ratio):
    task = make_task(market_admin, item, ratio=ratio)
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    return services.draw_reveal(actor=market_admin, draw=draw)


def _page_in_chinese(client, user, draw) -> str:
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    return client.get(f"/draws/{draw.draw_id}/").content.decode()


def test_too_few_places_are_counted_on_the_page(client, market_admin, colleague, district, settings):
    settings.FAIRSPOT_INSPECTOR_CAPACITY = 1
    draw = _revealed(market_admin, colleague, district, Decimal("0.5"))
    assert draw.matching_problem and not draw.teams.exists()
    shortage = team_shortage(draw)
    targets = draw.drawn.filter(alternate=False).count()
    assert shortage["targets"] == targets and shortage["needed"] == targets * shortage["team_size"]
    assert shortage["capacity"] == shortage["officers"]  # one place each
    assert shortage["short"] == shortage["needed"] - shortage["officers"] > 0
    page = _page_in_chinese(client, market_admin, draw)
    assert f"共需 {shortage['needed']} 人次" in page and f"缺 {shortage['short']} 人次" in page
    assert "抽取程序的原始说明" in page and "<details>" in page  # the engine's words, folded away


def test_enough_places_but_the_rules_leave_a_target_short(
    client, market_admin, colleague, district, departments
):
    one_target_with_recusals(5)  # all but one officer may not inspect it
    item = key_item(departments)
    draw = _revealed(market_admin, colleague, item, Decimal("1"))
    shortage = team_shortage(draw)
    assert shortage is not None and shortage["needed"] == 2 and shortage["short"] == 0
    page = _page_in_chinese(client, market_admin, draw)
    assert "配不齐检查组" in page and "缺 " not in page


def test_a_matched_draw_has_no_shortage(market_admin, colleague, district):
    draw = _revealed(market_admin, colleague, district, Decimal("0.2"))
    assert draw.teams.exists() and team_shortage(draw) is None
