"""End to end in a real browser (Debian's chromium): what a newcomer does on the first day.

A department administrator finds a target, imports a spreadsheet with a mistake, is told the row,
fixes it, imports again and exports to Excel; then creates a task, commits its draw, and with a second
officer enters the ceremony value and reveals the draw with its teams.
"""

import csv
from datetime import date, timedelta

import pytest

from fairspot.directory.models import Target
from fairspot.draws.models import Draw, DrawStatus
from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_newcomer_imports_with_a_mistake_fixes_it_and_exports(browser_page, tmp_path):
    page, base = browser_page
    login(page, base, "market")
    assert "工作台" in page.inner_text("h1")

    target = Target.objects.order_by("identifier").first()
    page.fill("input[name=q]", target.identifier)
    page.press("input[name=q]", "Enter")
    page.click(f"text={target.name}")
    assert target.identifier in page.inner_text("main")

    header = ["统一社会信用代码", "名称", "主体类型", "行业代码", "所属区域", "成立日期"]
    good = ["91410771000000001X", "新乡市浏览器测试有限公司", "企业", "3841", "振中街道", "2020-05-06"]
    from fairspot.lib.uscc import make_uscc

    good[0] = make_uscc("91410771MA0000001")
    bad = [make_uscc("91410771MA0000002"), "新乡市第二测试有限公司", "企业", "3841", "振中街道", "2021-02-30"]
    path = tmp_path / "企业名单.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, good, bad])
    page.goto(f"{base}/imports/targets/new/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button.primary")
    page.wait_for_selector("#status.bad")
    table = page.inner_text("main")
    assert "成立日期" in table and "\n3\t" in table.replace(" ", "")
    assert not Target.objects.filter(identifier=good[0]).exists()

    bad[-1] = "2021-02-28"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, good, bad])
    page.goto(f"{base}/imports/targets/new/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button.primary")
    page.wait_for_selector("#status.ok")
    assert Target.objects.filter(identifier__in=[good[0], bad[0]]).count() == 2

    page.goto(f"{base}/directory/?q=测试有限公司")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    from openpyxl import load_workbook

    names = [row[1].value for row in load_workbook(saved).active.iter_rows(min_row=2)]
    assert set(names) == {"新乡市浏览器测试有限公司", "新乡市第二测试有限公司"}


def test_task_commit_two_officers_reveal(browser_page):
    page, base = browser_page
    login(page, base, "market")
    page.goto(f"{base}/draws/tasks/new/")
    page.fill("input[name=code]", "SCJG-E2E-1")
    page.fill("input[name=title]", "端到端测试任务")
    page.select_option("select[name=items]", label="A07 公示信息抽查")
    page.fill("input[name=inspection_date]", (date.today() + timedelta(days=3)).isoformat())
    page.fill("input[name=ratio]", "0.05")
    page.click("button.primary")
    page.wait_for_url("**/draws/tasks/*/")
    assert "注销: " in page.inner_text("main")  # the preview lists exclusions with their reasons, in words
    page.fill("input[name=ceremony]", "两名见证人掷骰")
    committing = []  # a commit cannot be changed afterwards: the page asks first
    page.once("dialog", lambda dialog: (committing.append(dialog.message), dialog.accept()))
    page.click("button.primary")
    page.wait_for_url("**/draws/SCJG-E2E-1-*/")
    assert committing and "不能修改" in committing[0]
    draw = Draw.objects.get(task__code="SCJG-E2E-1")
    page.wait_for_url(f"**/draws/{draw.draw_id}/")
    assert draw.manifest_digest in page.inner_text("main")

    value = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    page.fill("input[name=value]", value)
    page.click("form.filters button")
    page.click("form[action$='/logout/'] button")
    login(page, base, "office")
    page.goto(f"{base}/draws/{draw.draw_id}/")
    page.fill("input[name=value]", value)
    page.click("form.filters button")
    asked = []  # revealing cannot be undone: the page asks first
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("form[action$='/reveal/'] button")
    page.wait_for_selector("text=" + draw.draw_id)
    assert asked and "不可撤销" in asked[0]
    draw.refresh_from_db()
    assert draw.status == DrawStatus.REVEALED
    text = page.inner_text("main")
    assert draw.seed in text and draw.drawn.filter(alternate=False).first().target.identifier in text
