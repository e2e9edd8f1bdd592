"""The lead lifecycle, its refusals, append-only notes, scoping, transfer and special inspections."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from fairspot.audit.models import AuditEntry
from fairspot.cases import services
from fairspot.cases.models import Lead, LeadNote, LeadStatus, NoteKind
from fairspot.cases.selectors import leads_for
from fairspot.core.errors import DomainError
from fairspot.draws.models import TaskKind

pytestmark = pytest.mark.django_db
BASIS = "《中华人民共和国食品安全法》第一百一十条"


def actions(lead) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="cases.lead", object_id=str(lead.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_whole_lifecycle(market_admin, market_inspector, inspectors, targets, make_lead):
    lead = make_lead(target=targets[0])
    assert lead.status == LeadStatus.RECEIVED and lead.number == "SCJG-2026-00001"
    assert lead.category == "食品安全"  # from the check item
    assert make_lead(target=targets[1]).number == "SCJG-2026-00002"

    lead = services.lead_assign(actor=market_admin, lead=lead, inspectors=inspectors[:2])
    assert lead.status == LeadStatus.ASSIGNED
    assert set(lead.assignees.all()) == set(inspectors[:2])
    lead = services.lead_approve_check(actor=market_admin, lead=lead, legal_basis=BASIS)

    # the assigned inspector (谁检查、谁录入) notes and closes
    services.lead_add_note(actor=market_inspector, lead=lead, text="现场核查，后厨地面积水")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING
    lead = services.lead_close(
        actor=market_inspector, lead=lead, result="已责令整改，复查合格", outcome="corrected"
    )
    assert lead.status == LeadStatus.CLOSED and lead.closed_at is not None

    lead = services.lead_reopen(actor=market_admin, lead=lead, reason="投诉人反映仍未整改")
    assert lead.status == LeadStatus.HANDLING and lead.result == "" and lead.closed_at is None
    reopen = lead.notes.get(kind=NoteKind.REOPEN)
    assert "已责令整改，复查合格" in reopen.text and "投诉人反映仍未整改" in reopen.text
    services.lead_close(actor=market_admin, lead=lead, result="立案查处", outcome="penalised")

    assert actions(lead) == [
        "cases.lead.received",
        "cases.lead.assigned",
        "cases.lead.check_approved",
        "cases.lead.noted",
        "cases.lead.closed",
        "cases.lead.reopened",
        "cases.lead.closed",
    ]
    received = AuditEntry.objects.get(action="cases.lead.received", object_id=str(lead.pk))
    assert received.changes["complainant_phone"] == [None, "138****1234"]  # never the full number
    assert "13812341234" not in str(AuditEntry.objects.values_list("changes", "data"))


def test_closing_without_a_result_is_refused(market_admin, inspectors, make_lead):
    lead = make_lead()
    with pytest.raises(DomainError, match="Assign"):
        services.lead_close(actor=market_admin, lead=lead, result="x", outcome="other")
    services.lead_assign(actor=market_admin, lead=lead, inspectors=inspectors[:1])
    with pytest.raises(DomainError, match="only with a result"):
        services.lead_close(actor=market_admin, lead=lead, result="  ", outcome="unfounded")
    with pytest.raises(DomainError, match="outcome"):
        services.lead_close(actor=market_admin, lead=lead, result="查无实据", outcome="")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.ASSIGNED and lead.closed_at is None
    # the database refuses a closed lead without a result too
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.CLOSED)


def test_notes_are_append_only(market_admin, inspectors, make_lead):
    lead = make_lead()
    services.lead_assign(actor=market_admin, lead=lead, inspectors=inspectors[:1])
    services.lead_approve_check(actor=market_admin, lead=lead, legal_basis=BASIS)
    first = services.lead_add_note(actor=market_admin, lead=lead, text="第一次电话联系")
    services.lead_add_note(actor=market_admin, lead=lead, text="第二次上门")
    first.text = "改写"
    with pytest.raises(RuntimeError):
        first.save()
    with pytest.raises(RuntimeError):
        first.delete()
    assert list(lead.notes.values_list("text", flat=True)) == ["第一次电话联系", "第二次上门"]
    with pytest.raises(DomainError):
        services.lead_add_note(actor=market_admin, lead=lead, text="   ")
    services.lead_close(actor=market_admin, lead=lead, result="查无实据", outcome="unfounded")
    with pytest.raises(DomainError, match="closed"):
        services.lead_add_note(actor=market_admin, lead=lead, text="结案后补记")
    assert LeadNote.objects.count() == 2


def test_handling_waits_for_the_check_approval(
    market_admin, fire_admin, market_inspector, inspectors, make_lead
):
    """检查审批: the first handling note of a lead is refused until its check is approved, with a basis."""
    lead = make_lead()
    services.lead_assign(actor=market_admin, lead=lead, inspectors=inspectors[:2])
    with pytest.raises(DomainError, match="has not been approved"):
        services.lead_add_note(actor=market_inspector, lead=lead, text="现场核查")
    assert not LeadNote.objects.exists()
    with pytest.raises(DomainError, match="legal basis"):
        services.lead_approve_check(actor=market_admin, lead=lead, legal_basis="  ")
    with pytest.raises(PermissionDenied):
        services.lead_approve_check(actor=fire_admin, lead=lead, legal_basis=BASIS)
    with pytest.raises(PermissionDenied):  # the inspector who checks does not approve his own check
        services.lead_approve_check(actor=market_inspector, lead=lead, legal_basis=BASIS)
    services.lead_approve_check(actor=market_admin, lead=lead, legal_basis=BASIS, note="主管副局长批准")
    with pytest.raises(DomainError, match="already approved"):
        services.lead_approve_check(actor=market_admin, lead=lead, legal_basis=BASIS)
    services.lead_add_note(actor=market_inspector, lead=lead, text="现场核查")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING
    approval = lead.check_approval
    assert approval.kind == "case" and approval.legal_basis == BASIS and approval.approved_by == market_admin
    entry = AuditEntry.objects.get(action="inspections.check.approved")
    assert entry.data["legal_basis"] == BASIS and lead.number in entry.data["subject"]


def test_department_scoping(market_admin, fire_admin, office, market_inspector, inspectors, make_lead):
    lead = make_lead()
    assert list(leads_for(market_admin)) == [lead]
    assert list(leads_for(office)) == [lead]
    assert not leads_for(fire_admin).exists()
    with pytest.raises(PermissionDenied):
        services.lead_assign(actor=fire_admin, lead=lead, inspectors=inspectors[3:])
    with pytest.raises(PermissionDenied):
        services.lead_add_note(actor=fire_admin, lead=lead, text="x")
    with pytest.raises(PermissionDenied):
        services.lead_intake(
            actor=fire_admin,
            values={
                "kind": "report",
                "received_on": date(2026, 3, 1),
                "department": lead.department,
                "description": "x",
                "category": "消防",
                "party_name": "某店",
            },
        )
    # an inspector handles only leads assigned to him
    with pytest.raises(PermissionDenied):
        services.lead_add_note(actor=market_inspector, lead=lead, text="x")
    # inspectors of another department are not assigned
    with pytest.raises(DomainError, match="not an inspector"):
        services.lead_assign(actor=market_admin, lead=lead, inspectors=inspectors[2:])


def test_office_transfers_a_lead(office, market_admin, fire_admin, departments, inspectors, make_lead):
    lead = make_lead()
    services.lead_assign(actor=market_admin, lead=lead, inspectors=inspectors[:2])
    with pytest.raises(PermissionDenied):
        services.lead_transfer(actor=market_admin, lead=lead, department=departments["fire"], reason="x")
    with pytest.raises(DomainError, match="why"):
        services.lead_transfer(actor=office, lead=lead, department=departments["fire"], reason=" ")
    lead = services.lead_transfer(
        actor=office, lead=lead, department=departments["fire"], reason="属消防安全问题"
    )
    assert lead.department == departments["fire"] and lead.status == LeadStatus.RECEIVED
    assert not lead.assignees.exists() and lead.item is None  # the market item is not the fire matter
    assert list(leads_for(fire_admin)) == [lead] and not leads_for(market_admin).exists()
    entry = AuditEntry.objects.get(action="cases.lead.transferred")
    assert entry.changes["department"] == [departments["market"].pk, departments["fire"].pk]
    assert entry.data == {"reason": "属消防安全问题"}
    assert lead.notes.get(kind=NoteKind.TRANSFER)
    services.lead_assign(actor=fire_admin, lead=lead, inspectors=inspectors[3:])


def test_unlicensed_lead_needs_a_party(market_admin, targets, make_lead):
    with pytest.raises(DomainError, match="unlicensed"):
        make_lead(kind="report", unlicensed=True, party_name="")
    with pytest.raises(DomainError, match="name and address"):
        make_lead(kind="report", unlicensed=True, party_name="无名烧烤摊")
    lead = make_lead(kind="report", unlicensed=True, party_name="无名烧烤摊", party_address="关堤乡路口")
    assert lead.unlicensed and lead.target is None
    with pytest.raises(DomainError, match="Name the target"):
        make_lead(party_name="")
    # an operator in the directory (e.g. beyond its licensed scope) needs no free-text party
    assert make_lead(unlicensed=True, target=targets[0]).target == targets[0]
    assert Lead.objects.count() == 2


def test_special_task_with_its_own_ratio_and_linked_leads(
    market_admin, fire_admin, office, departments, food_item, targets, make_lead
):
    leads = [make_lead(target=t) for t in targets[:3]]
    other = make_lead(target=targets[3], category="价格")
    values = {"code": "ZX-2026-01", "inspection_date": date(2026, 4, 1), "ratio": Decimal("0.5")}
    with pytest.raises(DomainError, match="one category"):
        services.special_inspection_create(
            actor=market_admin, leads=[*leads, other], items=[food_item], values=values
        )
    with pytest.raises(PermissionDenied):
        services.special_inspection_create(actor=fire_admin, leads=leads, items=[food_item], values=values)
    task = services.special_inspection_create(
        actor=market_admin, leads=leads, items=[food_item], values=values
    )
    assert task.kind == TaskKind.SPECIAL and task.ratio == Decimal("0.5") > food_item.ratio_cap
    assert task.title == "Special inspection: 食品安全"
    assert set(task.leads.all()) == set(leads)
    assert AuditEntry.objects.filter(action="cases.lead.linked").count() == 3
    created = AuditEntry.objects.get(action="cases.special.created")
    assert created.data["leads"] == sorted(lead.number for lead in leads)

    # the office combines leads of several departments; the others participate
    fire_lead = make_lead(actor=office, department=departments["fire"], item=None, category="食品安全")
    task2 = services.special_inspection_create(
        actor=office,
        leads=[leads[0], fire_lead],
        items=[food_item],
        values={**values, "code": "ZX-2026-02", "department": departments["market"]},
    )
    assert list(task2.participating_departments.all()) == [departments["fire"]]
