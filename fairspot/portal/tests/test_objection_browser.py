"""The demo walk of an objection (异议) on a phone (390 px, chromium): the firm opens the check code of its
finished visit, sees its published result and the last day to object, objects; the department upholds
the objection on its list; the public target page then shows the corrected result next to the original,
and the firm's page shows the answer."""

import pytest

from fairspot.inspections.models import Objection, ResultStatus, VisitItem
from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}


def fits_the_phone(tab) -> bool:
    return tab.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_firm_objects_on_its_phone_and_the_upheld_objection_corrects_the_public_result(browser_page):
    page, base = browser_page
    line = (
        VisitItem.objects.filter(
            draw__task__code="SCJG-2026-000",
            status=ResultStatus.PUBLISHED,
            result_code__label__in=["未按规定公示应当公示的信息", "发现问题经责令已改正"],
        )
        .exclude(objections__isnull=False)  # not the result the demo's own objection is about
        .select_related("visit__target")
        .first()
    )
    assert line is not None
    phone = page.context.browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True).new_page()
    phone.goto(f"{base}/public/check/{line.visit.check_code}/")
    text = phone.inner_text("main")
    published_as = line.result_code.label
    assert "本次检查结果" in text and published_as in text and "异议期限至" in text
    phone.click("#objection summary")
    phone.select_option("#objection select[name=line]", str(line.pk))
    phone.fill("#objection input[name=applicant]", "企业联系人")
    phone.fill("#objection input[name=phone]", "13912345678")
    phone.fill("#objection textarea[name=content]", "年度报告已按期报送，请核实")
    phone.click("#objection button")
    phone.wait_for_url("**?done=objection")
    text = phone.inner_text("main")
    assert "您的异议已登记" in text and "正在核查" in text and fits_the_phone(phone)
    objection = Objection.objects.get(line=line)
    assert objection.channel == "code" and not objection.late

    login(page, base, "market")
    page.goto(f"{base}/inspections/publicity/")
    row = page.locator(f"#objection-{objection.pk}")
    assert "年度报告已按期报送" in row.inner_text()
    row.locator("textarea[name=answer]").fill("经核实，年度报告已按期报送，予以更正")
    row.locator("select[name=result_code]").select_option(label="未发现问题")
    row.locator("button[value=uphold]").click()
    page.wait_for_load_state("networkidle")
    assert "异议成立" in page.inner_text("main")

    phone.goto(f"{base}/public/targets/{line.visit.target.identifier}/")
    text = phone.inner_text("main")
    assert "未发现问题" in text and f"原公示内容：{published_as}" in text
    assert "13912345678" not in text and fits_the_phone(phone)
    phone.goto(f"{base}/public/check/{line.visit.check_code}/")
    assert "予以更正" in phone.inner_text("main")
