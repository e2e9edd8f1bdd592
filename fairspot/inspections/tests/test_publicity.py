"""Publication governance: not publishing (不予公示), objections (异议), credit repair (信用修复) and the end
of a negative result's public display."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.holidays.workdays import add_working_days
from fairspot.inspections import services
from fairspot.inspections.models import (
    DisplayEnd,
    DisplayRule,
    ObjectionDecision,
    ResultStatus,
    VisitItem,
)
from fairspot.inspections.selectors import due_lines, publication_counts, published_results_for_target
from fairspot.inspections.services.display import add_months
from fairspot.testing.inspections import END, code, enter

pytestmark = pytest.mark.django_db
BASIS = "《中华人民共和国保守国家秘密法》第二十八条"


def approved(officer, reviewer, line, visit, label="未按规定公示应当公示的信息"):
    line = enter(officer, line, label)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    return line


def published(officer, reviewer, line, visit, label="未按规定公示应当公示的信息", days_ago=0):
    line = approved(officer, reviewer, line, visit, label)
    line = services.result_publish(actor=reviewer, line=line, version=line.version)
    if days_ago:
        VisitItem.objects.filter(pk=line.pk).update(published_at=timezone.now() - timedelta(days=days_ago))
        line.refresh_from_db()
    return line


# --- 不予公示 ---------------------------------------------------------------------------------------


def test_withheld_result_needs_a_legal_basis_and_the_office(officer, reviewer, office, visit, line):
    line = approved(officer, reviewer, line, visit)
    for basis in ("", "  ", "依法"):
        with pytest.raises(DomainError, match="legal basis") as err:
            services.withhold_request(actor=reviewer, line=line, legal_basis=basis, reason="涉密")
        assert err.value.field == "legal_basis"
    assert not line.withholdings.exists()
    request = services.withhold_request(actor=reviewer, line=line, legal_basis=BASIS, reason="涉及国家秘密")
    with pytest.raises(PermissionDenied):  # a department administrator does not approve it
        services.withhold_decide(actor=reviewer, request=request, approve=True)
    line.refresh_from_db()
    assert line.status == ResultStatus.APPROVED and line in due_lines(
        reviewer, today=END, horizon=date(2099, 1, 1)
    )
    services.withhold_decide(actor=office, request=request, approve=True)
    line.refresh_from_db()
    assert line.status == ResultStatus.WITHHELD
    assert line not in due_lines(reviewer, today=END, horizon=date(2099, 1, 1))
    with pytest.raises(DomainError, match="approved"):  # a withheld result is not published
        services.result_publish(actor=reviewer, line=line, version=line.version)
    counts = publication_counts(VisitItem.objects.filter(pk=line.pk))
    assert counts == {"shown": 0, "ended": 0, "withheld": 1, "total": 1, "pending": 0}
    actions = list(
        AuditEntry.objects.filter(action__startswith="inspections.withholding")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["inspections.withholding.requested", "inspections.withholding.decided"]


def test_the_requester_never_approves_and_refusal_needs_a_reason(officer, reviewer, office, visit, line):
    line = approved(officer, reviewer, line, visit)
    request = services.withhold_request(actor=office, line=line, legal_basis=BASIS, reason="涉密")
    with pytest.raises(DomainError, match="other than the requester"):
        services.withhold_decide(actor=office, request=request, approve=True)
    with pytest.raises(DomainError, match="refused"):
        services.withhold_decide(actor=office, request=request, approve=False)


def test_only_an_approved_unpublished_result_is_withheld(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit)
    with pytest.raises(DomainError, match="not yet published"):
        services.withhold_request(actor=reviewer, line=line, legal_basis=BASIS, reason="涉密")


# --- 异议 ------------------------------------------------------------------------------------------


def test_objection_in_time_runs_a_five_working_day_clock_and_upheld_corrects(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit)
    objection = services.objection_file(line=line, applicant="某公司", content="年报已于期限内报送，附回执")
    assert not objection.late and objection.channel == "code" and objection.recorded_by is None
    assert objection.due == add_working_days(objection.received_on, 5)
    assert services.objection_deadline(line) == add_working_days(timezone.localdate(line.published_at), 10)
    with pytest.raises(DomainError, match="already being examined"):
        services.objection_file(line=line, applicant="某公司", content="再次提出")
    with pytest.raises(DomainError, match="corrected result"):
        services.objection_answer(actor=reviewer, objection=objection, uphold=True, answer="核实无误")
    objection = services.objection_answer(
        actor=reviewer,
        objection=objection,
        uphold=True,
        answer="经核实，年报已按期报送",
        result_code=code("未发现问题"),
    )
    line.refresh_from_db()
    assert objection.decision == ObjectionDecision.UPHELD and objection.correction is not None
    assert line.current_code.label == "未发现问题" and line.result_code.label == "未按规定公示应当公示的信息"
    assert objection.correction.reason.startswith("Objection of ")
    shown = published_results_for_target(line.visit.target).get()
    assert shown.corrections.count() == 1


def test_objection_after_the_deadline_is_recorded_and_marked_late(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit, days_ago=60)
    objection = services.objection_file(line=line, applicant="某公司", content="不服")
    assert objection.late
    entry = AuditEntry.objects.get(action="inspections.objection.filed")
    assert entry.data["late"] is True
    answered = services.objection_answer(
        actor=reviewer, objection=objection, uphold=False, answer="逾期提出，经核查原结果无误"
    )
    assert answered.decision == ObjectionDecision.REJECTED and answered.correction is None


def test_counter_objection_checks_the_day_and_the_department(officer, reviewer, fire_admin, visit, line):
    line = published(officer, reviewer, line, visit)
    with pytest.raises(PermissionDenied):
        services.objection_file(actor=fire_admin, line=line, applicant="某公司", content="不服")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="future"):
        services.objection_file(
            actor=reviewer, line=line, applicant="某公司", content="不服", received_on=tomorrow
        )
    with pytest.raises(DomainError, match="before the result was published"):
        services.objection_file(
            actor=reviewer, line=line, applicant="某公司", content="不服", received_on=date(2025, 1, 2)
        )
    with pytest.raises(DomainError, match="who objects"):
        services.objection_file(actor=reviewer, line=line, applicant=" ", content="不服")
    objection = services.objection_file(
        actor=reviewer, line=line, applicant="某公司", content="不服（窗口递交）"
    )
    assert objection.channel == "counter" and objection.recorded_by == reviewer


def test_no_objection_to_an_unpublished_result(officer, reviewer, visit, line):
    line = approved(officer, reviewer, line, visit)
    with pytest.raises(DomainError, match="published result"):
        services.objection_file(line=line, applicant="某公司", content="不服")


# --- 信用修复 and the end of display -----------------------------------------------------------------


def test_repair_granted_ends_the_public_display_and_keeps_the_record(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit)  # 未按规定公示: repairable at once by default
    repair = services.repair_apply(line=line, applicant="某公司", statement="已补报年报并承诺按期公示")
    services.repair_decide(actor=reviewer, repair=repair, grant=True, answer="同意修复")
    assert DisplayEnd.objects.get(line=line).reason == "repair"
    assert not published_results_for_target(line.visit.target).exists()
    line.refresh_from_db()
    assert line.status == ResultStatus.PUBLISHED  # the record stays
    with pytest.raises(DomainError, match="no longer shown"):
        services.repair_apply(line=line, applicant="某公司", statement="再次申请")


def test_repair_is_refused_where_the_rules_forbid_it(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit, label="不配合检查情节严重")
    with pytest.raises(DomainError, match="do not allow credit repair"):
        services.repair_apply(line=line, applicant="某公司", statement="已整改")
    assert not line.repairs.exists()


def test_repair_waits_for_its_minimum_period_and_needs_a_negative_result(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit, label="违反其他工商行政管理规定行为")  # after 3 months
    with pytest.raises(DomainError, match="from"):
        services.repair_apply(line=line, applicant="某公司", statement="已整改")
    VisitItem.objects.filter(pk=line.pk).update(published_at=timezone.now() - timedelta(days=100))
    line.refresh_from_db()
    assert services.repair_apply(line=line, applicant="某公司", statement="已整改").decision == "pending"


def test_repair_of_a_clean_result_is_refused(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit, label="未发现问题")
    with pytest.raises(DomainError, match="not a negative record"):
        services.repair_apply(line=line, applicant="某公司", statement="无")


def test_display_ends_after_its_period_by_the_daily_task(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit, label="发现问题经责令已改正")  # 12 months
    today = timezone.localdate()
    assert services.end_expired_displays(today=today) == 0
    until = services.display_until(line)
    assert until == add_months(timezone.localdate(line.published_at), 12)
    assert services.end_expired_displays(today=until) == 0  # shown through its last day
    assert services.end_expired_displays(today=until + timedelta(days=1)) == 1
    entry = AuditEntry.objects.get(action="inspections.result.display_ended")
    assert entry.actor is None and entry.data["reason"] == "period" and entry.data["months"] == 12
    assert services.end_expired_displays(today=until + timedelta(days=2)) == 0  # once
    assert not published_results_for_target(line.visit.target).exists()


def test_a_clean_result_is_shown_without_end(officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit, label="未发现问题")
    assert services.display_until(line) is None
    assert services.end_expired_displays(today=date(2099, 1, 1)) == 0


def test_every_result_code_has_a_display_rule():
    from fairspot.reference.models import ResultCode

    assert DisplayRule.objects.count() == ResultCode.objects.count()
    assert not DisplayRule.objects.filter(negative=False, repairable=True).exists()


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_keeps_the_day_or_ends_the_month(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


# --- pages ------------------------------------------------------------------------------------------


def test_publicity_page_lists_and_answers(client, officer, reviewer, visit, line):
    line = published(officer, reviewer, line, visit)
    objection = services.objection_file(line=line, applicant="某公司", content="不服")
    client.force_login(reviewer)
    page = client.get(reverse("inspections:publicity"))
    assert page.status_code == 200 and "不服" in page.content.decode()
    xlsx = client.get(reverse("inspections:publicity") + "?list=objections&export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(
        reverse("inspections:objection_answer", args=[objection.pk]), {"decision": "reject", "answer": ""}
    )
    objection.refresh_from_db()
    assert response.status_code == 302 and objection.decision == "pending"  # an answer is required
    client.post(
        reverse("inspections:objection_answer", args=[objection.pk]),
        {"decision": "reject", "answer": "经核查，结果无误"},
    )
    objection.refresh_from_db()
    assert objection.decision == "rejected"


def test_visit_page_offers_withholding_and_the_office_decides(client, officer, reviewer, office, visit, line):
    line = approved(officer, reviewer, line, visit)
    client.force_login(reviewer)
    url = reverse("inspections:line_withhold", args=[line.pk])
    prefix = f"l{line.pk}-withhold"
    page = client.post(url, {f"{prefix}-legal_basis": "依法", f"{prefix}-reason": "涉密"})
    assert page.status_code == 200 and "Name the legal basis" in page.content.decode()
    assert not line.withholdings.exists()
    client.post(url, {f"{prefix}-legal_basis": BASIS, f"{prefix}-reason": "涉密"})
    request = line.withholdings.get()
    client.force_login(office)
    client.post(reverse("inspections:withholding_decide", args=[request.pk]), {"decision": "approve"})
    line.refresh_from_db()
    assert line.status == ResultStatus.WITHHELD
