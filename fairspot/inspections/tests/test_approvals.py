"""检查审批: no field work before the department's approver has approved the check with its legal basis."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fairspot.accounts.models import Role, User
from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.inspections import services
from fairspot.inspections.models import CheckApproval, ResultStatus
from fairspot.inspectors.models import Inspector
from fairspot.testing.inspections import END, LEGAL_BASIS, approve, code

pytestmark = pytest.mark.django_db
NOT_APPROVED = "has not been approved"


@pytest.fixture
def unapproved(market_admin, draw, departments):
    """The draw's visits without approval, and a user on the first visit's team."""
    visits = services.visits_create_for_draw(actor=market_admin, draw=draw)
    user = User.objects.create_user(
        "member", password="pw", role=Role.INSPECTOR, department=departments["market"]
    )
    Inspector.objects.filter(pk=visits[0].members.first().pk).update(user=user)
    return visits[0], user


def test_a_visit_started_without_approval_is_refused_and_nothing_is_written(unapproved, draw):
    visit, member = unapproved
    line = visit.lines.get()
    before = AuditEntry.objects.count()
    attempts = [
        lambda: services.record_save(
            actor=member, line=line, version=line.version, method_code="1", answers=[{}, {}], findings="x"
        ),
        lambda: services.result_enter(
            actor=member, line=line, version=line.version, result_code=code("未发现问题")
        ),
        lambda: services.visit_finish(actor=member, visit=visit, end_date=END),
        lambda: services.quiz_record(actor=member, line=line, person="张工", correct=3),
        lambda: services.attachment_add(
            actor=member, line=line, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), kind="document"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match=NOT_APPROVED) as refused:
            attempt()
        assert draw.draw_id in refused.value.message  # says which draw waits for its approval
    assert AuditEntry.objects.count() == before
    line.refresh_from_db()
    assert line.version == 1 and line.status == ResultStatus.NOT_ENTERED and not line.findings
    assert not services.is_approved(visit)


def test_the_batch_approval_needs_a_basis_and_the_department_approver(
    unapproved, draw, market_admin, fire_admin, market_inspector
):
    visit, member = unapproved
    with pytest.raises(DomainError, match="legal basis"):
        services.draw_approve(actor=market_admin, draw=draw, legal_basis="   ")
    with pytest.raises(PermissionDenied):
        services.draw_approve(actor=fire_admin, draw=draw, legal_basis=LEGAL_BASIS)
    with pytest.raises(PermissionDenied):
        services.draw_approve(actor=market_inspector, draw=draw, legal_basis=LEGAL_BASIS)
    with pytest.raises(PermissionDenied):  # the officer on the team does not approve his own check
        services.draw_approve(actor=member, draw=draw, legal_basis=LEGAL_BASIS)
    assert not CheckApproval.objects.exists()

    approval = approve(market_admin, draw)
    with pytest.raises(DomainError, match="already approved"):
        approve(market_admin, draw)
    # one approval covers every visit of the draw
    assert all(services.is_approved(v) for v in draw.visits.all())
    entry = AuditEntry.objects.get(action="inspections.check.approved")
    assert entry.data["draw"] == draw.draw_id and entry.data["legal_basis"] == LEGAL_BASIS
    assert entry.actor == market_admin and approval.department == draw.task.department

    line = visit.lines.get()
    line = services.record_save(
        actor=member, line=line, version=line.version, method_code="1", answers=[{}, {}], findings="无"
    )
    assert line.version == 2


def test_approval_pages_offer_the_items_basis_and_export(client, unapproved, draw, market_admin, item):
    visit, _member = unapproved
    item.legal_basis = "《企业信息公示暂行条例》第十四条"
    item.save()
    client.force_login(market_admin)
    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert "not approved yet" in page and item.legal_basis in page
    page = client.get(reverse("inspections:approvals")).content.decode()
    assert draw.draw_id in page and item.legal_basis in page
    response = client.post(
        reverse("inspections:approve_draw"),
        {"draw_id": draw.draw_id, "legal_basis": "", "next": reverse("inspections:visit", args=[visit.pk])},
        follow=True,
    )
    assert "legal basis" in response.content.decode() and not CheckApproval.objects.exists()
    client.post(
        reverse("inspections:approve_draw"), {"draw_id": draw.draw_id, "legal_basis": item.legal_basis}
    )
    assert CheckApproval.objects.get().draw == draw
    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert "not approved yet" not in page
    export = client.get(reverse("inspections:approvals"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_another_department_neither_sees_nor_approves(client, unapproved, draw, fire_admin):
    client.force_login(fire_admin)
    assert draw.draw_id not in client.get(reverse("inspections:approvals")).content.decode()
    response = client.post(reverse("inspections:approve_draw"), {"draw_id": draw.draw_id, "legal_basis": "x"})
    assert response.status_code == 404 and not CheckApproval.objects.exists()
