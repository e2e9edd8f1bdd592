"""Long draw pages are paged (with the page size and the count) while the exports stay complete."""

import io

import openpyxl
import pytest
from django.urls import reverse

from fairspot.core import listing
from fairspot.draws import services
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def revealed(market_admin, colleague, district, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    task = make_task(market_admin, district)
    draw = services.draw_commit(actor=market_admin, task=task, sources=[CEREMONY])
    confirm(draw, market_admin, colleague)
    services.draw_reveal(actor=market_admin, draw=draw)
    return draw


def _names_on(html, draw, alternate):
    return [d.target.name for d in draw.drawn.filter(alternate=alternate) if d.target.name in html]


def test_staff_draw_page_pages_the_drawn_targets(client, market_admin, revealed):
    client.force_login(market_admin)
    selected = revealed.drawn.filter(alternate=False).count()
    assert selected > 3
    url = reverse("draws:draw", args=[revealed.draw_id])
    first = client.get(url).content.decode()
    assert f"{selected} in all" in first and "3 a page" in first and "page=2#result" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "page 2 of" in second
    ordered = list(revealed.drawn.filter(alternate=False).order_by("stratum", "rank"))
    assert ordered[0].target.identifier in first and ordered[0].target.identifier not in second
    assert ordered[3].target.identifier in second


def test_staff_draw_page_filters_by_stratum(client, market_admin, revealed):
    client.force_login(market_admin)
    stratum = revealed.drawn.values_list("stratum", flat=True).first()
    html = client.get(reverse("draws:draw", args=[revealed.draw_id]), {"stratum": stratum}).content.decode()
    n = revealed.drawn.filter(alternate=False, stratum=stratum).count()
    assert f"{n} in all" in html


def test_the_export_holds_every_drawn_target(client, market_admin, revealed):
    client.force_login(market_admin)
    response = client.get(reverse("draws:draw", args=[revealed.draw_id]), {"export": "xlsx", "page": 2})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) - 1 == revealed.drawn.count()


def test_public_draw_page_is_paged_too(client, revealed):
    """The public side speaks Chinese."""
    selected = revealed.drawn.filter(alternate=False).count()
    html = client.get(reverse("portal:draw", args=[revealed.draw_id])).content.decode()
    assert f"({selected})" in html and "每页 3 条" in html and "page=2#drawn" in html


def test_task_list_is_paged_and_its_export_complete(client, market_admin, district, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    for n in range(5):
        make_task(market_admin, district, code=f"T-{n}")
    client.force_login(market_admin)
    html = client.get(reverse("draws:tasks")).content.decode()
    assert "5 in all" in html and "page=2" in html
    export = client.get(reverse("draws:tasks"), {"export": "csv"})
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("T-") == 5


def test_public_exclusions_are_paged(client, revealed):
    """The district has an excluded target; the list opens on the page asked for, with its count."""
    assert revealed.excluded == 1
    html = client.get(reverse("portal:draw", args=[revealed.draw_id]), {"excl_page": 1}).content.decode()
    assert 'id="excluded" open' in html and "(1)" in html
    closed = client.get(reverse("portal:draw", args=[revealed.draw_id])).content.decode()
    assert 'id="excluded">' in closed


def test_public_draw_page_names_sources_in_words(client, revealed):
    """The public page says what kind of source and what its values look like, not a regular expression."""
    html = client.get(reverse("portal:draw", args=[revealed.draw_id])).content.decode()
    assert "现场见证仪式" in html and "32 个字符，每个为 0–9 或 a–f" in html
    assert "^[0-9a-f]{32}$" not in html


def test_public_task_page_is_paged_too(client, revealed):
    selected = revealed.drawn.filter(alternate=False).count()
    html = client.get(reverse("portal:task", args=[revealed.task.code])).content.decode()
    assert f"({selected})" in html and "每页 3 条" in html and "page=2#drawn" in html
