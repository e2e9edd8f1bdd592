"""The demo walk of the check code on a phone (390 px wide, chromium): the department creates the visits
of its approved draw, the visit page carries the code, the firm's phone opens it, sees the verified
visit and its draw, asks for an officer's withdrawal; the department grants it and the draw's rule
brings another officer in, which the firm's page then shows and the draw's verifier re-computes."""

import pytest

from fairspot.draws.models import Draw, TeamReplacement
from fairspot.draws.selectors import verify
from fairspot.inspections.models import Visit, WithdrawalRequest
from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


def fits_the_phone(tab) -> bool:
    return tab.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_phone_verifies_the_visit_and_asks_for_a_withdrawal(browser_page):
    page, base = browser_page
    draw = Draw.objects.get(draw_id="SCJG-2026-001-1")  # the demo's upcoming round (not yet visited)
    assert draw.check_approval is not None  # the demo approves its draw (检查审批)

    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    login(page, base, "market")
    page.goto(f"{base}/inspections/")
    page.click(f"form:has(input[value='{draw.draw_id}']) button")
    page.wait_for_load_state("networkidle")
    visit = Visit.objects.filter(draws=draw).order_by("pk").first()
    page.goto(f"{base}/inspections/{visit.pk}/")
    link = page.get_attribute(".check-code a", "href")
    assert link.endswith(f"/public/check/{visit.check_code}/")
    assert page.locator(".check-code svg").count() == 1

    phone = page.context.browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True).new_page()
    phone.goto(link)
    text = phone.inner_text("main")
    assert "这是一次已审批的检查" in text and draw.draw_id in text
    assert fits_the_phone(phone), "the check-code page scrolls sideways on a 390 px phone"
    officer = visit.members.exclude(pk=visit.leader_id).first()
    assert officer.name not in text and officer.name[0] + "*" in text
    phone.select_option("select[name=inspector]", str(officer.pk))
    phone.fill("textarea[name=reason]", "该检查人员系本企业股东的近亲属")
    phone.click("#withdrawal button")
    phone.wait_for_url("**?done=withdrawal")
    assert "等待部门决定" in phone.inner_text("main") and fits_the_phone(phone)
    request = WithdrawalRequest.objects.get()

    page.goto(f"{base}/inspections/withdrawals/")
    page.click(f"form[action$='/withdrawals/{request.pk}/decide/'] button[value=grant]")
    page.wait_for_load_state("networkidle")
    replacement = TeamReplacement.objects.get()
    assert replacement.officer_out == officer
    phone.reload()
    assert "同意：已更换检查人员" in phone.inner_text("main")
    newcomer = replacement.officer_in
    assert newcomer.name[0] + "*" in phone.inner_text("main")
    # the replacement is in the draw's team bundle, which the verifier re-computes (staff and auditors:
    # the team files name officers, so they are not on the public site)
    reports = dict(verify(draw))
    assert reports["teams"].ok and any("replacement" in line for line in reports["teams"].summary)
