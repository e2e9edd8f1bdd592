"""The whole working cycle in a real browser, as users walk it.

A department drafts a plan, the joint-meeting office approves and publishes it, the department creates
the batch's task, commits and draws it with a second officer confirming the ceremony value, teams are
matched, visits created, their checks approved (检查审批) and a notice printed; the result is recorded,
field work closed, another officer approves and publishes, and the result appears on the public side.
Fixed 2026 dates keep the publication deadline inside the years the holiday calendar covers.
"""

import pytest
from django.core.management import call_command

from fairspot.draws.models import Draw, DrawStatus
from fairspot.inspections.models import Visit
from fairspot.plans.models import Plan
from fairspot.testing.browser import CHROMIUM, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
VALUE = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


@pytest.fixture
def page_and_base(live_server, settings, tmp_path):
    import os

    if CHROMIUM is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"  # the production default, whatever the browser asks for
    call_command("seed_demo", "--targets", "300", verbosity=0)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(locale="zh-CN").new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # irreversible steps ask first; the officer agrees
        page.set_default_timeout(20_000)
        yield page, live_server.url
        browser.close()


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    if page.query_selector("form[action$='/logout/']"):
        page.click("form[action$='/logout/'] button")
        page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("nav.main")


def post(page, action_suffix):
    """Click the button of the form whose action ends with the given path."""
    page.click(f"form[action$='{action_suffix}'] button")
    page.wait_for_load_state("networkidle")


def test_plan_to_public_result(page_and_base):
    page, base = page_and_base

    # a department drafts its plan and submits it
    login(page, base, "market")
    page.goto(f"{base}/plans/new/")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=title]", "2026年企业公示信息抽查计划")
    page.select_option("select[name=kind]", "department")
    page.select_option("select[name=scope_kind]", "undirected")
    page.select_option(
        "select[name='items-0-item']",
        label=page.eval_on_selector(
            "select[name='items-0-item']", "s => [...s.options].find(o => o.text.includes('A07')).text"
        ),
    )
    page.fill("input[name='items-0-ratio']", "0.05")
    page.fill("input[name='batches-0-name']", "第一批")
    page.fill("input[name='batches-0-start_date']", "2026-06-01")
    page.fill("input[name='batches-0-end_date']", "2026-06-30")
    page.click("form.card button.primary")
    page.wait_for_url("**/plans/*/")
    plan = Plan.objects.get(title="2026年企业公示信息抽查计划")
    post(page, f"/plans/{plan.pk}/submit/")

    # the joint-meeting office approves and publishes it
    login(page, base, "office")
    page.goto(f"{base}/plans/{plan.pk}/review/")
    page.select_option("select[name=decision]", "approved")
    page.click("main form button.primary")
    page.wait_for_url(f"**/plans/{plan.pk}/")
    post(page, f"/plans/{plan.pk}/publish/")
    plan.refresh_from_db()
    assert plan.status == "published"

    # the department creates the batch's task, commits and enters the ceremony value
    login(page, base, "market")
    page.goto(f"{base}/plans/{plan.pk}/")
    page.click("form[action*='/plans/batches/'] button")
    page.wait_for_load_state("networkidle")
    task = plan.batches.get().tasks.get()
    page.goto(f"{base}/draws/tasks/{task.pk}/")
    page.fill("input[name=ceremony]", "两名见证人现场掷骰")
    page.click("main form button.primary")
    draw = Draw.objects.get(task=task)
    page.wait_for_url(f"**/draws/{draw.draw_id}/")
    page.fill("input[name=value]", VALUE)
    page.click("form.filters button")

    # a second officer confirms the value; the draw is revealed and teams matched
    login(page, base, "office")
    page.goto(f"{base}/draws/{draw.draw_id}/")
    page.fill("input[name=value]", VALUE)
    page.click("form.filters button")
    post(page, "/reveal/")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.REVEALED and draw.teams.exists()
    post(page, "/inspections/from-draw/")
    visit = Visit.objects.filter(draws=draw).select_related("target").first()
    assert visit is not None and visit.members.count() >= 2

    # the notice is printed (HTML for the browser's print, and PDF)
    login(page, base, "market")
    page.goto(f"{base}/inspections/{visit.pk}/notice/")
    assert visit.target.name in page.inner_text("body")
    pdf = page.request.get(f"{base}/inspections/{visit.pk}/notice.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # the department approves the draw's checks (检查审批) with the legal basis the form offers
    page.goto(f"{base}/inspections/{visit.pk}/")
    approve = "form[action$='/inspections/approvals/draw/']"
    assert page.input_value(f"{approve} textarea[name=legal_basis]").strip()
    page.click(f"{approve} button")
    page.wait_for_load_state("networkidle")
    assert draw.check_approval.approved_by.username == "market"

    # the result is recorded and the field work closed
    page.goto(f"{base}/inspections/{visit.pk}/")
    line = visit.lines.get()
    result_form = f"form[action$='/inspections/items/{line.pk}/result/']"
    page.eval_on_selector(result_form, "f => f.closest('details') && (f.closest('details').open = true)")
    code = page.eval_on_selector(
        f"{result_form} select", "s => [...s.options].find(o => o.text.includes('未发现问题')).value"
    )
    page.select_option(f"{result_form} select", code)
    page.click(f"{result_form} button")
    page.wait_for_load_state("networkidle")
    finish = f"form[action$='/inspections/{visit.pk}/finish/']"
    page.eval_on_selector(finish, "f => f.closest('details') && (f.closest('details').open = true)")
    page.fill(f"{finish} input[type=date]", "2026-06-05")
    page.click(f"{finish} button")
    page.wait_for_load_state("networkidle")
    line.refresh_from_db()
    assert line.status == "entered"

    # another officer approves and publishes
    login(page, base, "office")
    page.goto(f"{base}/inspections/{visit.pk}/")
    review = f"form[action$='/inspections/items/{line.pk}/review/']"
    page.select_option(f"{review} select", "approve")
    page.click(f"{review} button")
    page.wait_for_load_state("networkidle")
    post(page, f"/inspections/items/{line.pk}/publish/")
    line.refresh_from_db()
    assert line.status == "published"

    # the result is public
    page.goto(f"{base}/public/targets/{visit.target.identifier}/")
    text = page.inner_text("main")
    assert "未发现问题" in text and visit.target.identifier in text
