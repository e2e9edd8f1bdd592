"""The firm's side of a visit (亮码入企): confirmation and rating, withdrawal requests and their decision."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.draws.models import ReplacementReason, TeamReplacement
from fairspot.draws.services import draw_dir
from fairspot.holidays.workdays import add_working_days_marked
from fairspot.inspections import services
from fairspot.inspections.models import VisitFeedback, VisitStatus, WithdrawalRequest
from fairspot.inspectors.models import Inspector
from fairspot.testing.inspections import END, reveal

pytestmark = pytest.mark.django_db


def _member(visit):
    return visit.members.exclude(pk=visit.leader_id).first()


# --- the code --------------------------------------------------------------------------------------
def test_every_visit_has_its_own_unguessable_code(visits):
    codes = [v.check_code for v in visits]
    assert len(set(codes)) == len(codes)
    assert all(len(c) >= 22 for c in codes)  # ≥ 128 bits of token_urlsafe


def test_the_state_of_a_code(market_admin, colleague, item, visit, officer):
    assert services.check_state(visit) == services.CheckState.ACTIVE
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    visit.refresh_from_db()
    assert services.check_state(visit) == services.CheckState.FINISHED
    other = reveal(market_admin, colleague, item, code="T-2", inspection_date=date(2025, 9, 29))
    unapproved = services.visits_create_for_draw(actor=market_admin, draw=other)[0]
    assert services.check_state(unapproved) == services.CheckState.NOT_APPROVED


def test_a_replaced_visit_is_cancelled(market_admin, visit):
    services.visit_replace_target(actor=market_admin, visit=visit, reason="已停业")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REPLACED
    assert services.check_state(visit) == services.CheckState.CANCELLED


# --- confirmation and rating -----------------------------------------------------------------------
def test_the_firm_confirms_and_rates_once(visit):
    feedback = services.feedback_give(visit=visit, took_place=True, rating=5, comment="检查规范")
    assert feedback.rating == 5 and visit.feedback == feedback
    entry = AuditEntry.objects.get(action="inspections.feedback.given")
    assert entry.actor is None and entry.data["via"] == "check code" and entry.data["rating"] == 5
    with pytest.raises(DomainError, match="already"):
        services.feedback_give(visit=visit, took_place=True, rating=4)


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused(visit, rating):
    with pytest.raises(DomainError, match="1 to 5"):
        services.feedback_give(visit=visit, took_place=True, rating=rating)
    assert not VisitFeedback.objects.exists()


def test_a_visit_that_did_not_take_place_needs_a_word(visit):
    with pytest.raises(DomainError, match="did not take place"):
        services.feedback_give(visit=visit, took_place=False, rating=1)
    services.feedback_give(visit=visit, took_place=False, rating=1, comment="无人到场，却要求签字")
    assert not visit.feedback.took_place


def test_no_feedback_before_the_inspection_date_or_on_an_unapproved_visit(
    market_admin, colleague, item, visits
):
    later = reveal(market_admin, colleague, item, code="T-3", inspection_date=date(2027, 3, 1))
    visit = services.visits_create_for_draw(actor=market_admin, draw=later)[0]
    with pytest.raises(DomainError, match="not valid"):
        services.feedback_give(visit=visit, took_place=True, rating=5)
    services.draw_approve(actor=market_admin, draw=later, legal_basis="依据")
    with pytest.raises(DomainError, match="from that day on"):
        services.feedback_give(visit=visit, took_place=True, rating=5)


# --- withdrawal requests ---------------------------------------------------------------------------
def test_a_withdrawal_for_an_officer_not_on_the_team_is_refused(visit, district):
    outsider = Inspector.objects.exclude(pk__in=visit.members.values("pk")).first()
    for bad in (outsider.pk, 999_999, "abc", ""):
        with pytest.raises(DomainError, match="officer of this visit"):
            services.withdrawal_request(visit=visit, inspector_id=bad, reason="亲属关系")
    assert not WithdrawalRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="inspections.withdrawal.requested").exists()


def test_a_withdrawal_after_the_visit_is_refused(visit, officer, line):
    member = _member(visit)
    line.refresh_from_db()
    services.record_save(
        actor=officer, line=line, version=line.version, method_code="1", answers=[{}, {}], findings="无"
    )
    with pytest.raises(DomainError, match="field work of this visit has begun"):
        services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="亲属关系")
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    with pytest.raises(DomainError, match="not after it"):
        services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="亲属关系")
    assert not WithdrawalRequest.objects.exists()


def test_a_withdrawal_needs_a_reason_and_is_asked_once(visit):
    member = _member(visit)
    with pytest.raises(DomainError, match="reason"):
        services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="  ")
    request = services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="曾在本企业任职")
    today = request.requested_at.date()
    assert request.due == add_working_days_marked(today, services.WITHDRAWAL_WORKING_DAYS)[0]
    with pytest.raises(DomainError, match="already waiting"):
        services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="再次申请")
    entry = AuditEntry.objects.get(action="inspections.withdrawal.requested")
    assert entry.actor is None and entry.data["officer"] == member.staff_no


def test_a_granted_withdrawal_replaces_the_officer_by_the_draws_rule(market_admin, draw, visit):
    member = _member(visit)
    request = services.withdrawal_request(visit=visit, inspector_id=member.pk, reason="系企业负责人亲属")
    request = services.withdrawal_decide(actor=market_admin, request=request, grant=True)
    replacement = TeamReplacement.objects.get()
    assert replacement.officer_out == member and replacement.reason == ReplacementReason.WITHDRAWAL
    assert request.decision == "granted" and request.replaced_by == replacement.officer_in
    members = set(visit.members.all())
    assert member not in members and replacement.officer_in in members
    # the replacement is in the draw's bundle, where anyone recomputes it
    assert (draw_dir(draw.draw_id) / "teams" / "replacements.json").exists()
    entry = AuditEntry.objects.get(action="inspections.withdrawal.decided")
    assert entry.data["replaced_by"] == replacement.officer_in.staff_no and entry.actor == market_admin
    with pytest.raises(DomainError, match="already been decided"):
        services.withdrawal_decide(actor=market_admin, request=request, grant=False, answer="x")


def test_a_refusal_needs_an_answer_and_the_right_department(market_admin, fire_admin, officer, visit):
    request = services.withdrawal_request(visit=visit, inspector_id=_member(visit).pk, reason="不认识")
    with pytest.raises(PermissionDenied):
        services.withdrawal_decide(actor=fire_admin, request=request, grant=True)
    with pytest.raises(PermissionDenied):
        services.withdrawal_decide(actor=officer, request=request, grant=False, answer="x")
    with pytest.raises(DomainError, match="Say why"):
        services.withdrawal_decide(actor=market_admin, request=request, grant=False)
    request = services.withdrawal_decide(
        actor=market_admin, request=request, grant=False, answer="所述情形不属于应当回避的情形"
    )
    assert request.decision == "refused" and not TeamReplacement.objects.exists()
    assert _member(visit) in visit.members.all()


def test_the_dashboard_tells_the_department_what_waits(
    client, market_admin, fire_admin, colleague, item, visit
):
    other = reveal(market_admin, colleague, item, code="T-5", inspection_date=date(2025, 9, 29))
    services.withdrawal_request(visit=visit, inspector_id=_member(visit).pk, reason="亲属关系")
    client.force_login(market_admin)
    html = client.get("/").content.decode()
    assert "1 draw awaits the approval of its checks" in html and "1 withdrawal request from a firm" in html
    services.draw_approve(actor=market_admin, draw=other, legal_basis="依据")
    assert "awaits the approval" not in client.get("/").content.decode()
    client.force_login(fire_admin)
    assert "Waiting for your decision" not in client.get("/").content.decode()
