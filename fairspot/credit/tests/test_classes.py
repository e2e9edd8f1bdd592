"""Imported and computed classes, their history, the directory's class, recomputation, permissions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from fairspot.audit.models import AuditEntry
from fairspot.cases.models import Lead
from fairspot.credit import services
from fairspot.credit.importers import AnnualReportImporter, ClassImporter
from fairspot.credit.models import AnnualReport, ClassChange, CreditStanding, Recompute, RunStatus
from fairspot.directory.models import Target
from fairspot.reference.models import Industry
from fairspot.testing.directory import write_csv

pytestmark = pytest.mark.django_db


def _targets(n=3):
    return list(Target.objects.filter(status="active").order_by("pk")[:n])


def test_class_import_writes_the_class_its_date_source_and_history(district, market_admin, tmp_path):
    a, b, _c = _targets()
    path = write_csv(
        tmp_path / "classes.csv",
        [
            [a.identifier, "C", "2026-11-30", "国家企业信用信息公示系统"],
            [b.identifier, "A类", "2026/11/30", "省局"],
        ],
        header=["统一社会信用代码", "信用风险分类", "分类日期", "来源"],
    )
    report = ClassImporter(actor=market_admin).run(path)
    assert report.ok, report.errors
    a.refresh_from_db()
    assert a.risk_class == "C"
    standing = CreditStanding.objects.get(target=a)
    assert (standing.imported_class, standing.imported_on, standing.imported_source) == (
        "C",
        date(2026, 11, 30),
        "国家企业信用信息公示系统",
    )
    change = ClassChange.objects.get(target=a)
    assert (change.old_class, change.new_class, change.kind, change.rule) == ("", "C", "imported", "imported")
    assert change.evidence[0]["source"] == "国家企业信用信息公示系统"
    assert AuditEntry.objects.filter(action="credit.classes.imported").count() == 1


def test_unknown_codes_or_classes_are_reported_by_row_and_nothing_is_written(
    district, market_admin, tmp_path
):
    a, b, c = _targets()
    path = write_csv(
        tmp_path / "classes.csv",
        [
            [a.identifier, "B", "2026-11-30", "省局"],
            ["91410700MA44XXXXXX", "C", "2026-11-30", "省局"],
            [b.identifier, "E", "2026-11-30", "省局"],
            [c.identifier, "D", "明天", "省局"],
        ],
        header=["统一社会信用代码", "信用风险分类", "分类日期", "来源"],
    )
    report = ClassImporter(actor=market_admin).run(path)
    assert not report.ok
    problems = {(e.row, e.column) for e in report.errors}
    assert {(3, "统一社会信用代码"), (4, "信用风险分类"), (5, "分类日期")} <= problems
    assert "is not a credit-risk class" in next(e.message for e in report.errors if e.row == 4)
    assert not CreditStanding.objects.exists() and not ClassChange.objects.exists()
    assert not Target.objects.exclude(risk_class="").exists()


def test_annual_reports_import(district, market_admin, tmp_path):
    a, b, _c = _targets()
    path = write_csv(
        tmp_path / "reports.csv",
        [[a.identifier, "2025", "零申报"], [b.identifier, "2025年", "未报送"]],
        header=["统一社会信用代码", "年度", "年报情况"],
    )
    assert AnnualReportImporter(actor=market_admin).run(path).ok
    assert dict(AnnualReport.objects.values_list("target_id", "status")) == {a.pk: "zero", b.pk: "missing"}
    bad = write_csv(
        tmp_path / "bad.csv",
        [[a.identifier, "去年", "交了"]],
        header=["统一社会信用代码", "年度", "年报情况"],
    )
    report = AnnualReportImporter(actor=market_admin).run(bad)
    assert {e.column for e in report.errors} == {"年度", "年报情况"}


def _run(today=date(2026, 12, 1)):
    run = Recompute.objects.create()
    return services.recompute_run(run, today=today)


def test_recompute_applies_the_rules_and_keeps_every_change(district, market_admin, office, departments):
    clean, abnormal, reported = _targets()
    Target.objects.filter(pk=abnormal.pk).update(abnormal=True)
    AnnualReport.objects.create(target=reported, year=2025, status="missing")
    Lead.objects.create(
        number="L-1",
        kind="complaint",
        received_on=date(2026, 10, 1),
        department=departments["market"],
        description="投诉",
        target=reported,
        category="质量",
        created_by=market_admin,
    )
    services.hazard_set(actor=office, division=Industry.objects.get(code="38"), level=2, note="电池")
    run = _run()
    assert run.status == RunStatus.DONE and run.done == run.total == Target.objects.count()
    classes = dict(Target.objects.values_list("pk", "risk_class"))
    assert classes[clean.pk] == "B"  # nothing on record, elevated-hazard division: 20
    assert classes[abnormal.pk] == "C"  # 30 + 20 points
    assert classes[reported.pk] == "D"  # missing report 20 + open case 25 + hazard 20
    standing = CreditStanding.objects.get(target=reported)
    assert standing.score == 65
    assert {r["rule"] for r in standing.reasons} == {"report_missing", "open_case", "industry_hazard"}
    hazard = next(r for r in standing.reasons if r["rule"] == "industry_hazard")
    assert hazard["evidence"] == ["38 电气机械和器材制造业"]
    assert next(r for r in standing.reasons if r["rule"] == "open_case")["evidence"] == ["L-1"]
    change = ClassChange.objects.get(target=reported)
    assert change.rule == "open_case,report_missing,industry_hazard" and change.score == 65
    assert change.kind == "computed"
    # an unchanged record changes nothing the second time; the imported class can only raise the class
    assert _run().changed == 0
    CreditStanding.objects.filter(target=clean).update(imported_class="D")
    assert _run().changed == 1
    assert Target.objects.get(pk=clean.pk).risk_class == "D"
    # a class typed into the directory meanwhile is put back to the effective one, without a change
    Target.objects.filter(pk=clean.pk).update(risk_class="A")
    assert _run().changed == 0 and Target.objects.get(pk=clean.pk).risk_class == "D"
    assert AuditEntry.objects.filter(action="credit.classes.recomputed").count() == 4


def test_recompute_on_demand_is_the_offices_and_runs_as_a_background_task(district, office, market_admin):
    with pytest.raises(PermissionDenied):
        services.recompute_request(actor=market_admin)
    run = services.recompute_request(actor=office)
    assert run.status == RunStatus.DONE and run.percent == 100 and run.requested_by == office
    assert CreditStanding.objects.count() == Target.objects.count()


def test_monthly_task_makes_its_own_run(district):
    from fairspot.credit.tasks import recompute_classes
    from fairspot.hub.periodic import SCHEDULES

    assert recompute_classes in SCHEDULES["monthly"]
    result = recompute_classes.call()
    assert result["status"] == RunStatus.DONE and Recompute.objects.get().requested_by is None


def test_hazard_table_is_the_offices(district, office, market_admin):
    division = Industry.objects.get(code="38")
    with pytest.raises(PermissionDenied):
        services.hazard_set(actor=market_admin, division=division, level=3)
    services.hazard_set(actor=office, division=division, level=3, note="电池")
    entry = AuditEntry.objects.get(action="credit.hazard.changed")
    assert entry.changes["level"] == [None, 3]


def test_a_published_finding_raises_the_class(market_admin, reviewer, visit):
    from fairspot.testing.opendata import publish

    _run()
    target = visit.target
    before = Target.objects.get(pk=target.pk).risk_class
    publish(market_admin, reviewer, visit, label="未按规定公示应当公示的信息")
    _run(today=date.today())
    standing = CreditStanding.objects.get(target=target)
    assert {r["rule"] for r in standing.reasons} >= {"result_problem"}
    assert standing.effective_class > before  # B (general hazard) → C
    change = ClassChange.objects.filter(target=target).first()
    assert "result_problem" in change.rule and change.evidence[0]["evidence"][0].endswith(
        visit.lines.get().item.code
    )


def test_a_run_left_behind_by_a_dead_worker_does_not_block_the_next(district, office):
    from datetime import timedelta

    from django.utils import timezone

    stale = Recompute.objects.create(status=RunStatus.RUNNING)
    Recompute.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert services.recompute_request(actor=office).status == RunStatus.DONE
    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED and stale.error == "interrupted"
