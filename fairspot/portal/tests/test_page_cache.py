"""A rendered public page is kept for FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS in the serving process (the
public draw page of a large task took three quarters of a worker's time under load), then rebuilt."""

import pytest
from django.urls import reverse

from fairspot.core import pagecache
from fairspot.draws import services as draw_services
from fairspot.testing.draws import CEREMONY, confirm, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    pagecache.clear()
    yield
    pagecache.clear()


def test_draw_page_is_served_from_the_cache_until_it_expires(
    client, market_admin, colleague, district, settings, monkeypatch
):
    settings.FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS = 60
    draw = draw_services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    url = reverse("portal:draw", args=[draw.draw_id])
    first = client.get(url)
    assert first.status_code == 200 and 'id="waiting"' in first.content.decode()
    confirm(draw, market_admin, colleague)
    draw_services.draw_reveal(actor=market_admin, draw=draw)
    cached = client.get(url)
    assert cached.content == first.content  # within the minute: the page as rendered
    assert cached["Cache-Control"] == first["Cache-Control"] and cached["Content-Language"] == "zh-hans"
    clock = pagecache.time.monotonic() + 61
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock)
    fresh = client.get(url).content.decode()
    assert 'id="seed"' in fresh and 'id="waiting"' not in fresh  # expired: rebuilt with the reveal


def test_files_are_never_kept_and_zero_turns_the_cache_off(client, market_admin, district, settings):
    settings.FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS = 0
    draw = draw_services.draw_commit(
        actor=market_admin, task=make_task(market_admin, district), sources=[CEREMONY]
    )
    url = reverse("portal:draw", args=[draw.draw_id])
    client.get(url)
    client.get(reverse("portal:draw_file", args=[draw.draw_id, "manifest.json"]))
    assert not pagecache._pages
    settings.FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS = 60
    client.get(reverse("portal:draw_file", args=[draw.draw_id, "manifest.json"]))
    assert not pagecache._pages  # files are read from disk, never kept
    client.get(url)
    assert len(pagecache._pages) == 1
