"""In a real browser under the Content-Security-Policy: no violation on the pages, and the behaviour
moved out of inline handlers (confirm before delete, language switch) still works."""

import pytest

from fairspot.directory.models import Target
from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_pages_run_under_csp_without_violations(browser_page):
    page, base = browser_page
    violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    login(page, base, "market")
    target = Target.objects.order_by("identifier").first()
    for path in [
        "/",
        "/directory/",
        f"/directory/{target.pk}/",
        "/holidays/",
        "/imports/targets/new/",
        "/public/",
        "/public/results/",
        "/admin/login/",
    ]:
        response = page.goto(base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path

    page.goto(f"{base}/directory/{target.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("form[data-confirm] button.danger")
    assert asked and Target.objects.filter(pk=target.pk).exists()  # asked, refused: not deleted

    with page.expect_navigation():  # the select submits the language form by itself (app.js)
        page.select_option("select[data-autosubmit]", "en")
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []
