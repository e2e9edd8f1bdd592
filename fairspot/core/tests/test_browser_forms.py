"""Forms for officers in a real browser: long selects are searched by typing (Tom Select, vendored),
several values are picked without Ctrl-click, and irreversible steps ask first."""

import pytest

from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_long_selects_are_searched_by_typing(browser_page):
    page, base = browser_page
    violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    login(page, base, "market")
    page.goto(f"{base}/draws/tasks/new/")
    items = page.locator("select[name=items] + .ts-wrapper")
    assert items.count() == 1  # the check items: a long multiple select, now searchable
    items.locator("input").first.click()
    page.keyboard.type("公示")
    page.wait_for_function(
        "() => { const o = [...document.querySelectorAll('.ts-dropdown .option')];"
        " return o.length > 0 && o.every(x => x.textContent.includes('公示')); }"
    )
    options = page.locator(".ts-dropdown .option:visible")
    assert options.count() >= 1 and all("公示" in text for text in options.all_inner_texts())
    options.first.click()
    chosen = page.eval_on_selector("select[name=items]", "s => [...s.selectedOptions].map(o => o.text)")
    assert len(chosen) == 1 and "公示" in chosen[0]
    assert page.locator("select[name=language] + .ts-wrapper").count() == 0  # short selects stay plain
    assert violations == []
