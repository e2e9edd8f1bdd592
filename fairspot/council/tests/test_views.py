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
    assert "Awaiting the convenor" in client.get(reverse("council:index")).content.decode()
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


def test_evidence_is_uploaded_and_downloaded_by_its_unit_only(
    client, market_item, market_admin, fire_admin, media, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(market_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("council:evidence_add", args=[market_item.pk]),
            {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan"), "description": "工作方案"},
        )
    assert response.status_code == 302
    evidence = market_item.evidence.get()
    assert _body(client.get(reverse("council:evidence", args=[evidence.pk]))) == b"%PDF-1.4 plan"
    client.force_login(fire_admin)
    assert client.get(reverse("council:evidence", args=[evidence.pk])).status_code == 404


def test_the_office_schedules_a_plenary_and_records_attendance(client, council, office, departments):
    client.force_login(office)
    day = timezone.localdate() + timedelta(days=15)
    response = client.post(
        reverse("council:plenary_create"),
        {
            "title": "",
            "starts_at": f"{day.isoformat()}T09:00",
            "place": "会议室",
            "topic_deadline": (day - timedelta(days=3)).isoformat(),
            "report_deadline": (day + timedelta(days=1)).isoformat(),
        },
    )
    assert (
        response.status_code == 200
        and "Progress reports must be due before the meeting." in response.content.decode()
    )
    assert not Meeting.objects.exists()
    client.post(
        reverse("council:plenary_create"),
        {
            "starts_at": f"{day.isoformat()}T09:00",
            "topic_deadline": (day - timedelta(days=3)).isoformat(),
            "report_deadline": (day - timedelta(days=2)).isoformat(),
        },
    )
    meeting = Meeting.objects.get()
    fire = departments["fire"].pk
    client.post(
        reverse("council:attendance", args=[meeting.pk]),
        {f"presence_{fire}": "present", f"person_{fire}": "某某"},
    )
    assert list(meeting.attendance.values_list("person", flat=True)) == ["某某"]


def test_a_meeting_from_topics_to_a_closed_ledger_item_through_the_pages(
    client, council, office, convenor, fire_admin, departments
):
    from fairspot.council.models import MemberChange, Minutes, MinutesStatus
    from fairspot.testing import council as helpers

    today = timezone.localdate()
    meeting = helpers.plenary(office, starts=today, topics_by=today)
    fire = departments["fire"].pk
    client.force_login(fire_admin)
    for url, data in [
        ("council:topic_submit", {"department": fire, "title": "联合检查", "description": ""}),
        ("council:report", {"department": fire, "progress": "已完成", "problems": "", "plans": ""}),
    ]:
        assert client.post(reverse(url, args=[meeting.pk]), data).status_code == 302
    client.post(
        reverse("council:change_propose"),
        {"department": fire, "kind": "liaison", "new_person": "新联络", "reason": "调岗"},
    )
    change = MemberChange.objects.get()
    client.force_login(office)
    client.post(reverse("council:hold", args=[meeting.pk]), {"held_on": today.isoformat()})
    client.post(reverse("council:change_decide", args=[change.pk]), {"meeting": meeting.pk, "confirmed": "1"})
    client.post(reverse("council:minutes_edit", args=[meeting.pk]), {"number": "纪要1号", "body": "正文"})
    client.post(reverse("council:decision_add", args=[meeting.pk]), {"text": "建立台账", "lead": fire})
    client.force_login(convenor)
    client.post(reverse("council:minutes_approve", args=[meeting.pk]))
    client.force_login(office)
    client.post(reverse("council:minutes_publish", args=[meeting.pk]))
    assert Minutes.objects.get().status == MinutesStatus.PUBLISHED
    decision = meeting.decisions.get()
    client.post(
        reverse("council:item_create", args=[decision.pk]),
        {
            "department": fire,
            "task": "建立台账",
            "owner": "某某",
            "due_date": (today + timedelta(days=30)).isoformat(),
        },
    )
    item = LedgerItem.objects.get()
    client.force_login(fire_admin)
    client.post(reverse("council:milestone_done", args=[item.milestones.first().pk]))
    client.post(reverse("council:item_progress", args=[item.pk]), {"text": "完成", "status": "done"})
    client.force_login(office)
    client.post(reverse("council:item_supervise", args=[item.pk]), {"text": "核实", "outcome": "close"})
    item.refresh_from_db()
    change.refresh_from_db()
    assert item.status == LedgerStatus.CLOSED and item.milestones.first().done_on == today
    assert change.status == "confirmed" and meeting.topics.count() == 1 and meeting.reports.count() == 1
