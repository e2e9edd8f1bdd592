"""The cases pages: intake, list filters and exports, detail, forms, masking and 404 for others."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fairspot.cases import services
from fairspot.cases.models import Lead, LeadStatus
from fairspot.draws.models import Task, TaskKind

pytestmark = pytest.mark.django_db


def export(client, fmt="csv", **params) -> list[list[str]]:
    response = client.get(reverse("cases:list"), {"export": fmt, **params})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body)).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def test_intake_assign_note_close_through_the_pages(client, market_admin, inspectors, food_item, targets):
    client.force_login(market_admin)
    assert client.get(reverse("cases:intake")).status_code == 200
    response = client.post(
        reverse("cases:intake"),
        {
            "kind": "report",
            "received_on": "2026-03-05",
            "description": "无证经营小作坊",
            "unlicensed": "on",
            "target_identifier": "",
            "party_name": "",
            "item": food_item.pk,
        },
    )
    assert response.status_code == 200 and "needs the party" in response.content.decode()
    response = client.post(
        reverse("cases:intake"),
        {
            "kind": "report",
            "received_on": "2026-03-05",
            "description": "无证经营小作坊",
            "unlicensed": "on",
            "party_name": "李四食品作坊",
            "party_address": "振中街道某巷12号",
            "party_contact": "13912345678",
            "item": food_item.pk,
        },
    )
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[lead.pk])
    client.post(reverse("cases:assign", args=[lead.pk]), {"inspectors": [inspectors[0].pk, inspectors[1].pk]})
    page = client.get(reverse("cases:approve_check", args=[lead.pk])).content.decode()
    assert food_item.legal_basis in page  # the item's basis is offered
    client.post(reverse("cases:approve_check", args=[lead.pk]), {"legal_basis": "《食品安全法》第一百一十条"})
    client.post(reverse("cases:note", args=[lead.pk]), {"text": "已现场查看"})
    response = client.post(reverse("cases:close", args=[lead.pk]), {"outcome": "penalised", "result": ""})
    assert response.status_code == 200  # the form refuses an empty result
    client.post(reverse("cases:close", args=[lead.pk]), {"outcome": "penalised", "result": "取缔并处罚款"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CLOSED and lead.outcome == "penalised"
    page = client.get(reverse("cases:detail", args=[lead.pk])).content.decode()
    assert "已现场查看" in page and "取缔并处罚款" in page and "13912345678" in page
    assert "cases.lead.closed" in page  # history
    # a target from the directory by its identifier
    client.post(
        reverse("cases:intake"),
        {
            "kind": "complaint",
            "received_on": "2026-03-06",
            "description": "投诉",
            "target_identifier": targets[0].identifier.lower(),
            "category": "食品安全",
        },
    )
    assert Lead.objects.filter(target=targets[0]).exists()


def test_other_department_gets_404(client, fire_admin, make_lead):
    lead = make_lead()
    client.force_login(fire_admin)
    for name in ("detail", "assign", "note", "close", "reopen"):
        assert client.get(reverse(f"cases:{name}", args=[lead.pk])).status_code == 404, name
    assert lead.number not in client.get(reverse("cases:list")).content.decode()
    assert len(export(client)) == 1  # the header only


def test_transfer_page_is_for_the_office(client, office, market_admin, departments, make_lead):
    lead = make_lead()
    client.force_login(market_admin)
    assert client.get(reverse("cases:transfer", args=[lead.pk])).status_code == 403
    client.force_login(office)
    client.post(
        reverse("cases:transfer", args=[lead.pk]),
        {"department": departments["fire"].pk, "reason": "职责调整"},
    )
    lead.refresh_from_db()
    assert lead.department == departments["fire"]


def test_list_filters_and_exports(client, office, market_admin, departments, inspectors, make_lead):
    first = make_lead()
    second = make_lead(kind="monitoring", complainant_name="", complainant_phone="")
    services.lead_assign(actor=market_admin, lead=second, inspectors=inspectors[:1])
    fire = make_lead(actor=office, department=departments["fire"], item=None, category="消防")
    client.force_login(office)
    page = client.get(reverse("cases:list"), {"kind": "monitoring"}).content.decode()
    assert second.number in page and first.number not in page
    page = client.get(reverse("cases:list"), {"status": "assigned"}).content.decode()
    assert second.number in page and first.number not in page
    page = client.get(reverse("cases:list"), {"department": departments["fire"].pk}).content.decode()
    assert fire.number in page and first.number not in page

    rows = export(client, "csv")
    assert rows[0][0] == "线索编号" and len(rows) == 4
    by_number = {r[0]: r for r in rows[1:]}
    assert (
        by_number[first.number][rows[0].index("投诉举报人电话")] == "13812341234"
    )  # the office sees personal data
    rows = export(client, "xlsx", kind="complaint", department=departments["market"].pk)
    assert [r[0] for r in rows[1:]] == [first.number]

    client.force_login(market_admin)
    assert {r[0] for r in export(client)[1:]} == {first.number, second.number}


def test_personal_data_masked_outside_the_handling_staff(client, market_expert, make_lead):
    lead = make_lead(party_name="王五", party_address="关堤乡某村3组", party_contact="13700001111")
    client.force_login(market_expert)
    page = client.get(reverse("cases:detail", args=[lead.pk])).content.decode()
    assert "13812341234" not in page and "138****1234" in page and "张*" in page
    assert "13700001111" not in page and "137****1111" in page and "王*" in page
    assert "关堤乡某村3组" not in page
    for fmt in ("csv", "xlsx"):
        row = export(client, fmt)[1]
        text = "|".join(str(c) for c in row)
        assert "13812341234" not in text and "138****1234" in text and "张三" not in text
        assert "王五" not in text and "关堤乡某村3组" not in text
    list_page = client.get(reverse("cases:list")).content.decode()
    assert "王五" not in list_page and "王*" in list_page


def test_special_inspection_page(client, market_admin, food_item, targets, make_lead):
    leads = [make_lead(target=t) for t in targets[:2]]
    make_lead(target=targets[2], category="价格", item=None)
    client.force_login(market_admin)
    page = client.get(reverse("cases:special_create")).content.decode()
    assert "食品安全" in page and "价格" in page
    page = client.get(reverse("cases:special_create"), {"category": "食品安全"}).content.decode()
    assert leads[0].number in page and "SCJG-2026-00003" not in page
    response = client.post(
        reverse("cases:special_create"),
        {
            "category": "食品安全",
            "leads": [lead.pk for lead in leads],
            "code": "ZX-7",
            "title": "",
            "items": [food_item.pk],
            "inspection_date": "2026-06-01",
            "ratio": "0.8",
            "alternates": "1",
            "team_size": "2",
        },
    )
    task = Task.objects.get(code="ZX-7")
    assert response.status_code == 302 and response["Location"] == reverse("draws:task", args=[task.pk])
    assert task.kind == TaskKind.SPECIAL and task.ratio == Decimal("0.8")
    assert set(task.leads.all()) == set(leads)
    page = client.get(reverse("cases:detail", args=[leads[0].pk])).content.decode()
    assert "ZX-7" in page


def test_every_form_page_renders(client, office, inspectors, make_lead):
    lead = make_lead()
    client.force_login(office)
    for name in ("assign", "note", "close", "reopen", "transfer"):
        assert client.get(reverse(f"cases:{name}", args=[lead.pk])).status_code == 200, name
    page = client.get(reverse("cases:assign", args=[lead.pk])).content.decode()
    assert inspectors[0].name in page and inspectors[3].name not in page  # only the department's
    client.post(reverse("cases:reopen", args=[lead.pk]), {"reason": "x"})  # not closed: refused
    assert Lead.objects.get().status == LeadStatus.RECEIVED
