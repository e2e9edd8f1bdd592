"""On a 390 px phone no page is wider than the screen: long tables scroll inside their own box, long
codes and inputs wrap or shrink (the public draw page was 546 px wide)."""

import pytest

from fairspot.directory.models import Target
from fairspot.draws.models import Draw, Task
from fairspot.inspections.models import Visit
from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
WIDTH = "document.documentElement.scrollWidth"


def _too_wide(page, base, paths) -> dict[str, int]:
    wide = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        width = page.evaluate(WIDTH)
        if width > PHONE["width"]:
            wide[path] = width
    return wide


def test_public_pages_fit_a_phone(browser_page):
    page, base = browser_page
    page.set_viewport_size(PHONE)
    draw = Draw.objects.exclude(seed="").first()
    target = draw.drawn.select_related("target").first().target
    paths = [
        "/public/",
        "/public/tasks/",
        f"/public/tasks/{draw.task.code}/",
        f"/public/draws/{draw.draw_id}/",
        "/public/results/",
        "/public/items/",
        "/public/targets/",
        f"/public/targets/{target.identifier}/",
        "/public/audit-anchors/",
    ]
    assert _too_wide(page, base, paths) == {}


def test_staff_pages_fit_a_phone(browser_page):
    page, base = browser_page
    page.set_viewport_size(PHONE)
    login(page, base, "market")
    draw = Draw.objects.exclude(seed="").first()
    visit = Visit.objects.first()
    paths = [
        "/",
        "/directory/",
        f"/directory/{Target.objects.first().pk}/",
        "/plans/",
        "/draws/",
        f"/draws/tasks/{Task.objects.first().pk}/",
        f"/draws/{draw.draw_id}/",
        "/inspections/",
        "/inspections/due/",
        "/items/",
        "/inspectors/",
        "/cases/",
        "/holidays/",
        "/audit/",
    ]
    if visit is not None:
        paths += [f"/inspections/{visit.pk}/", f"/inspections/{visit.pk}/notice/"]
    assert _too_wide(page, base, paths) == {}
