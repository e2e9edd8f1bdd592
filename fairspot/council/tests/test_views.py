"""The joint meeting's pages through the test client: who may open what, the forms' refusals, the
ledger's export, the printable minutes and the dashboard's overdue items."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fairspot.council.exporters import HEADER
from fairspot.council.models import LedgerItem, LedgerStatus, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_ledger_exports_what_the_unit_sees(client, market_item, fire_item, market_admin):
    LedgerItem.objects.filter(pk=market_item.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(market_admin)
    response = client.get(reverse("council:ledger"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(_body(response))).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 2  # the market's item only
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["责任单位"] == "高新区市场监管工作小组" and row["责任人"] == "丁责任"
    assert row["是否逾期"] == "是" and "报送办结" in row["倒排时间表"]
    csv = _body(client.get(reverse("council:ledger"), {"export": "csv"})).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("会议,议定事项,责任单位")


def test_a_unit_cannot_open_or_update_another_units_item(client, market_item, fire_admin):
    client.force_login(fire_admin)
    assert client.get(reverse("council:item", args=[market_item.pk])).status_code == 404
    response = client.post(
        reverse("council:item_progress", args=[market_item.pk]), {"text": "代填", "status": "done"}
    )
    assert response.status_code == 404
    market_item.refresh_from_db()
    assert market_item.status == LedgerStatus.NOT_STARTED


def test_the_unit_reports_progress_on_its_item(client, market_item, market_admin):
    client.force_login(market_admin)
    page = client.get(reverse("council:item", args=[market_item.pk]))
    assert page.status_code == 200 and "丁责任" in page.content.decode()
    response = client.post(
        reverse("council:item_progress", args=[market_item.pk]),
        {"text": "已制定方案", "status": "in_progress"},
    )
    assert response.status_code == 302
    market_item.refresh_from_db()
    assert market_item.status == LedgerStatus.IN_PROGRESS


def test_an_item_without_an_owner_is_refused_on_the_form(client, held, office, departments):
    client.force_login(office)
    response = client.post(
        reverse("council:item_create", args=[held.decision.pk]),
        {"department": departments["fire"].pk, "task": "建台账", "owner": "", "due_date": ""},
    )
    assert response.status_code == 200
    assert "Name the person responsible" in response.content.decode()
    assert not LedgerItem.objects.exists()


def test_inspectors_do_not_see_the_joint_meeting(client, council, market_inspector):
    client.force_login(market_inspector)
    assert client.get(reverse("council:index")).status_code == 403


def test_the_special_meeting_request_and_the_convenors_answer(
    client, council, fire_admin, convenor, office, departments
):
    client.force_login(fire_admin)
    response = client.post(
        reverse("council:special_request"),
        {"department": departments["fire"].pk, "title": "协调", "reason": "难点"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.status == MeetingStatus.REQUESTED
    client.force_login(office)
    assert client.get(reverse("council:consent", args=[meeting.pk])).status_code == 403
    client.force_login(convenor)
    client.post(reverse("council:consent", args=[meeting.pk]), {"agree": "1", "note": "同意"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGREED


def test_minutes_print_and_draft_visibility(client, held, fire_admin, office):
    client.force_login(fire_admin)  # signed off, not yet published: members do not see them
    assert client.get(reverse("council:minutes_print", args=[held.meeting.pk])).status_code == 404
    client.force_login(office)
    client.post(reverse("council:minutes_publish", args=[held.meeting.pk]))
    client.force_login(fire_admin)
    page = client.get(reverse("council:minutes_print", args=[held.meeting.pk]))
    assert page.status_code == 200 and "纪要〔2026〕1号" in page.content.decode()
    assert "各成员单位建立工作任务台账" in page.content.decode()


def test_the_dashboard_lists_overdue_items(client, market_item, office):
    LedgerItem.objects.filter(pk=market_item.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    client.force_login(office)
    html = client.get(reverse("hub:dashboard")).content.decode()
    assert "overdue ledger item" in html and reverse("council:item", args=[market_item.pk]) in html


def test_the_front_page_and_the_meeting_page_render(client, held, market_admin):
    client.force_login(market_admin)
    assert "市场监管分管" in client.get(reverse("council:index")).content.decode()
    assert client.get(reverse("council:meeting", args=[held.meeting.pk])).status_code == 200
    members = _body(client.get(reverse("council:index"), {"export": "xlsx"}))
    sheet = load_workbook(io.BytesIO(members)).active
    assert sheet.max_row == 3
