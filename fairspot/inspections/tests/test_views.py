"""The pages: lists with export, the visit page and its forms, notices and PDFs, the due list."""

from datetime import date

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import timezone

from fairspot.inspections import services
from fairspot.inspections.models import ResultStatus, Visit, VisitItem
from fairspot.reference.models import ResultCode

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text a reader shows of a PDF (PDFium, the engine of Chrome's viewer)."""
    document = pdfium.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_visit_list_filters_and_exports(client, market_admin, fire_admin, visits):
    client.force_login(market_admin)
    page = client.get(reverse("inspections:visits")).content.decode()
    assert all(v.target.name in page for v in visits)
    target = visits[0].target
    page = client.get(reverse("inspections:visits"), {"q": target.identifier}).content.decode()
    assert target.name in page and visits[1].target.identifier not in page
    export = client.get(reverse("inspections:visits"), {"export": "csv"})
    assert export.status_code == 200 and target.identifier in b"".join(export.streaming_content).decode(
        "utf-8-sig"
    )
    client.force_login(fire_admin)
    assert target.name not in client.get(reverse("inspections:visits")).content.decode()
    assert client.get(reverse("inspections:visit", args=[visits[0].pk])).status_code == 404


def test_create_visits_from_the_list_page(client, market_admin, draw):
    client.force_login(market_admin)
    assert draw.draw_id in client.get(reverse("inspections:visits")).content.decode()
    client.post(reverse("inspections:create_for_draw"), {"draw_id": draw.draw_id})
    assert Visit.objects.count() == draw.drawn.filter(alternate=False).count()


def test_my_visits_shows_the_officers_team_visits(client, officer, visit, visits):
    client.force_login(officer)
    page = client.get(reverse("inspections:visits"), {"scope": "mine"}).content.decode()
    mine = Visit.objects.filter(members__user=officer)
    assert visit.target.name in page and all(v.target.name in page for v in mine)


def test_visit_page_record_result_review_publish(client, officer, reviewer, visit, line):
    client.force_login(officer)
    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert "是否按时报送年度报告" in page and visit.leader.name in page
    prefix = f"l{line.pk}-record"
    response = client.post(
        reverse("inspections:line_record", args=[line.pk]),
        {
            f"{prefix}-version": 1,
            f"{prefix}-method": "1",
            f"{prefix}-answer_0": "yes",
            f"{prefix}-answer_1": "na",
            f"{prefix}-findings": "未发现问题",
        },
    )
    assert response.status_code == 302
    code = ResultCode.objects.get(scheme="2017双随机", label="未发现问题")
    prefix = f"l{line.pk}-result"
    client.post(
        reverse("inspections:line_result", args=[line.pk]),
        {f"{prefix}-version": 2, f"{prefix}-result_code": code.pk},
    )
    line.refresh_from_db()
    assert line.status == ResultStatus.ENTERED and line.findings == "未发现问题"
    client.force_login(reviewer)
    assert "Record the review" in client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    prefix = f"l{line.pk}-review"
    client.post(
        reverse("inspections:line_review", args=[line.pk]),
        {f"{prefix}-version": 3, f"{prefix}-decision": "approve"},
    )
    client.post(reverse("inspections:finish", args=[visit.pk]), {"end_date": "2025-09-26"})
    client.post(reverse("inspections:line_publish", args=[line.pk]), {"version": 4})
    line.refresh_from_db()
    assert line.status == ResultStatus.PUBLISHED and line.published_by == reviewer
    prefix = f"l{line.pk}-followup"
    client.post(
        reverse("inspections:line_followup", args=[line.pk]),
        {
            f"{prefix}-disposition": "correct",
            f"{prefix}-correct_by": "2025-11-01",
            f"{prefix}-recheck_on": "2025-11-10",
        },
    )
    assert line.followups.count() == 1
    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert "Correct the published result" in page and "2025-10-30" in page


def test_stale_form_is_refused_and_the_input_shown_again(client, officer, market_admin, line):
    services.result_enter(
        actor=market_admin,
        line=line,
        version=1,
        result_code=ResultCode.objects.get(scheme="2017双随机", code="1"),
    )
    client.force_login(officer)
    code = ResultCode.objects.get(scheme="2017双随机", code="E")
    prefix = f"l{line.pk}-result"
    response = client.post(
        reverse("inspections:line_result", args=[line.pk]),
        {f"{prefix}-version": 1, f"{prefix}-result_code": code.pk, f"{prefix}-remarks": "我的长篇备注"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Somebody else saved" in page and "我的长篇备注" in page
    assert VisitItem.objects.get(pk=line.pk).result_code.code == "1"


def test_attachment_upload_and_download(
    client, officer, line, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    prefix = f"l{line.pk}-attach"
    from django.core.files.uploadedfile import SimpleUploadedFile

    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    with django_capture_on_commit_callbacks(execute=True):  # the file is put in place on commit
        client.post(
            reverse("inspections:line_attach", args=[line.pk]),
            {f"{prefix}-kind": "photo", f"{prefix}-file": SimpleUploadedFile("a.jpg", jpeg)},
        )
    att = line.attachments.get()
    response = client.get(reverse("inspections:attachment", args=[att.pk]))
    assert b"".join(response.streaming_content) == jpeg
    bad = client.post(
        reverse("inspections:line_attach", args=[line.pk]),
        {f"{prefix}-kind": "photo", f"{prefix}-file": SimpleUploadedFile("b.jpg", b"GIF89a...")},
    )
    assert "Only JPEG, PNG and PDF" in bad.content.decode() and line.attachments.count() == 1


def test_notice_and_record_form_print_and_pdf(client, market_admin, visit):
    client.force_login(market_admin)
    html = client.get(reverse("inspections:notice", args=[visit.pk])).content.decode()
    assert "随机抽查通知书" in html and visit.target.name in html and "inspections/print.css" in html
    html = client.get(reverse("inspections:record_form", args=[visit.pk])).content.decode()
    assert "检查记录表" in html and "公示信息是否真实" in html
    for name in ("notice_pdf", "record_pdf"):
        response = client.get(reverse(f"inspections:{name}", args=[visit.pk]))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
        text = pdf_text(response.content)
        assert visit.target.name in text and visit.target.identifier in text
    assert "公示信息是否真实" in pdf_text(
        client.get(reverse("inspections:record_pdf", args=[visit.pk])).content
    )


def test_the_notice_is_an_official_document(client, market_admin, visit):
    """文号, contact person and phone, the issuer's seal block marked as a seal style (issue 11)."""
    visit.leader.phone = "0373-1234567"
    visit.leader.save()
    client.force_login(market_admin)
    number = f"〔{timezone.localdate().year}〕{visit.pk}号"
    html = client.get(reverse("inspections:notice", args=[visit.pk])).content.decode()
    assert number in html and f"联系人：{visit.leader.name}" in html and "0373-1234567" in html
    assert "电子章样式" in html and visit.department.name in html
    text = pdf_text(client.get(reverse("inspections:notice_pdf", args=[visit.pk])).content)
    assert number in text and visit.leader.name in text and "0373-1234567" in text and "电子章样式" in text


def test_due_list_groups_by_department_and_exports(client, market_admin, fire_admin, visit, monkeypatch):
    from fairspot.inspections.views import lists

    services.visit_finish(actor=market_admin, visit=visit, end_date=date(2025, 9, 26))
    monkeypatch.setattr(lists.timezone, "localdate", lambda: date(2025, 10, 28))
    client.force_login(market_admin)
    page = client.get(reverse("inspections:due")).content.decode()
    assert visit.target.name in page and "2025-10-30" in page
    assert "overdue" in page  # the other visits' provisional deadline 2025-10-24 has passed
    export = client.get(reverse("inspections:due"), {"export": "csv"})
    assert visit.target.identifier in b"".join(export.streaming_content).decode("utf-8-sig")
    client.force_login(fire_admin)
    assert visit.target.name not in client.get(reverse("inspections:due")).content.decode()


def test_question_bank_page(client, market_admin, line):
    client.force_login(market_admin)
    client.post(
        reverse("inspections:questions"),
        {"item": line.item_id, "code": "Q1", "text": "灭火器如何使用？", "active": "on"},
    )
    assert "灭火器如何使用" in client.get(reverse("inspections:questions")).content.decode()
    assert "灭火器如何使用" in client.get(reverse("inspections:visit", args=[line.visit_id])).content.decode()


def test_refusals_are_shown_as_messages_or_on_the_form(client, market_admin, draw, visits, monkeypatch):
    """core.actions on the inspections pages: a button's refusal is a message; a form's is on the form."""
    client.force_login(market_admin)
    response = client.post(reverse("inspections:create_for_draw"), {"draw_id": draw.draw_id}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"The visits of draw {draw.draw_id} have already been created."
    ]
    visit = visits[0]
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 25))
    response = client.post(reverse("inspections:finish", args=[visit.pk]), {"end_date": "2025-09-30"})
    form = response.context["finish_form"]
    assert response.status_code == 200 and "in the future" in form.errors["end_date"][0]
    assert list(response.context["messages"]) == []  # shown on the form only
    line = visit.lines.get()
    response = client.post(reverse("inspections:line_publish", args=[line.pk]), {"version": "x"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert response.redirect_chain[-1][0].endswith(f"#line-{line.pk}")
    prefix = f"l{line.pk}-review"
    response = client.post(  # nothing entered yet: the refusal on the form and at the top
        reverse("inspections:line_review", args=[line.pk]),
        {f"{prefix}-version": line.version, f"{prefix}-decision": "approve"},
    )
    refusal = "Only an entered result awaiting review can be reviewed."
    assert [str(m) for m in response.context["messages"]] == [refusal]
    assert refusal in response.content.decode()


def test_the_notice_pdf_embeds_its_font_and_prints_as_it_should(client, market_admin, visit):
    """The Chinese font travels inside the PDF, and the page rendered to an image shows the title in the
    top band, the seal's red, and nothing cut at the A4 margins (issue 11: print layout checked)."""
    from fairspot.core.pdffont import EMBEDDED, pdf_font

    assert pdf_font() == EMBEDDED  # make test installs fonts-wqy-microhei (Makefile: pdf-font)
    client.force_login(market_admin)
    data = client.get(reverse("inspections:notice_pdf", args=[visit.pk])).content
    assert b"/FontFile2" in data  # the TrueType program is embedded, not only named
    document = pdfium.PdfDocument(data)
    page = document[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    image = page.render(scale=1).to_pil().convert("RGB")
    pixels = image.load()
    w, h = image.size

    def dark(x0, y0, x1, y1):
        return sum(1 for x in range(x0, x1) for y in range(y0, y1) if sum(pixels[x, y]) < 200)

    assert dark(0, 0, w, h // 8) > 200  # the title 随机抽查通知书 is drawn in the top band
    assert dark(0, 0, 20, h) == 0 and dark(w - 20, 0, w, h) == 0  # nothing runs into the side margins
    red = sum(
        1 for x in range(0, w, 2) for y in range(0, h, 2) if pixels[x, y][0] > 150 > pixels[x, y][1] + 40
    )
    assert red > 50  # the seal block (电子章样式) is printed in red
