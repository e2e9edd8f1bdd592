"""Inspecting the next alternate needs a second officer: one asks, another approves or refuses."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draws.models import DrawnTarget
from fairspot.inspections.alternates import alternate_decide, alternate_request
from fairspot.inspections.models import AlternateRequest, Visit, VisitStatus

pytestmark = pytest.mark.django_db


def test_officer_asks_a_second_officer_approves_and_the_rule_picks_the_alternate(
    officer, reviewer, draw, visit
):
    entry = DrawnTarget.objects.get(draw=draw, target=visit.target)
    expected = DrawnTarget.objects.filter(draw=draw, stratum=entry.stratum, alternate=True).order_by("rank")[
        0
    ]
    request = alternate_request(actor=officer, visit=visit, reason="现场核实已停业")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED  # asking changes nothing yet
    with pytest.raises(DomainError, match="already waiting"):
        alternate_request(actor=officer, visit=visit, reason="再次申请")
    new = alternate_decide(actor=reviewer, request=request, approve=True)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPLACED and new.target == expected.target
    request.refresh_from_db()
    assert request.decision == "approved" and request.decided_by == reviewer
    replaced = AuditEntry.objects.get(action="inspections.visit.replaced")
    assert replaced.data["requested_by"] == "officer" and replaced.data["approved_by"] == "reviewer"
    assert AuditEntry.objects.filter(action="inspections.alternate.requested").exists()
    assert AuditEntry.objects.get(action="inspections.alternate.decided").data["requested_by"] == "officer"


def test_the_requester_cannot_approve_their_own_request(market_admin, draw, visit):
    request = alternate_request(actor=market_admin, visit=visit, reason="已搬离")
    with pytest.raises(DomainError, match="second officer"):
        alternate_decide(actor=market_admin, request=request, approve=True)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and Visit.objects.count() == len(draw.visits.all())


def test_an_inspector_cannot_decide_and_other_departments_cannot_either(
    officer, market_admin, fire_admin, draw, visit
):
    request = alternate_request(actor=market_admin, visit=visit, reason="已搬离")
    for actor in (officer, fire_admin):
        with pytest.raises(PermissionDenied):
            alternate_decide(actor=actor, request=request, approve=True)
    request.refresh_from_db()
    assert request.decision == "pending"


def test_refusal_needs_a_note_and_keeps_the_target(officer, reviewer, visit):
    request = alternate_request(actor=officer, visit=visit, reason="大门关闭")
    with pytest.raises(DomainError, match="why"):
        alternate_decide(actor=reviewer, request=request, approve=False, note=" ")
    alternate_decide(actor=reviewer, request=request, approve=False, note="仍在经营，改日再去")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    request.refresh_from_db()
    assert request.decision == "refused" and request.note == "仍在经营，改日再去"
    with pytest.raises(DomainError, match="already been decided"):
        alternate_decide(actor=reviewer, request=request, approve=True)
    alternate_request(actor=officer, visit=visit, reason="第二次去仍关闭")  # a new request may follow


def test_page_walk_ask_then_approve(client, officer, reviewer, visit):
    client.force_login(officer)
    url = reverse("inspections:visit", args=[visit.pk])
    response = client.post(reverse("inspections:replace", args=[visit.pk]), {"reason": "已注销"}, follow=True)
    page = response.content.decode()
    assert "Request recorded" in page and "Waiting for a second officer" in page
    request = AlternateRequest.objects.get()
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "Approve: inspect the next alternate" in page
    decide = reverse("inspections:alternate_decide", args=[visit.pk, request.pk])
    response = client.post(decide, {"decision": "approve"}, follow=True)
    assert "The alternate target replaces the drawn one" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPLACED
