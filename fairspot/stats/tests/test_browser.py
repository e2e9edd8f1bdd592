"""In a browser, under the site's CSP: the dashboard draws its charts; the report fits a 1366 px screen
and a phone."""

import pytest

from fairspot.inspections.models import Visit
from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_dashboard_draws_charts_and_pages_fit(browser_page):
    page, base = browser_page
    visit = Visit.objects.order_by("pk").first()  # the demo's finished round (hub/demo_results.py)
    year = visit.inspection_date.year
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "/static/" in r.url else None)
    login(page, base, "office")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/stats/dashboard/?year={year}")
    page.wait_for_selector('[data-chart="visits"] canvas')
    assert errors == []
    page.goto(f"{base}/stats/?year={year}")
    assert "统计" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # on a 1366 px screen every table of the report fits its card without scrolling
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.scroll')).every(e => e.scrollWidth <= e.clientWidth)"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/stats/?year={year}", f"/stats/diligence/{visit.pk}/", f"/stats/dashboard/?year={year}"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(f"{base}/stats/diligence/{visit.pk}/")
    assert "尽职记录" in page.inner_text("h1")
