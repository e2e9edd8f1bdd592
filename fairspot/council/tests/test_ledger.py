"""The task ledger: items need an owner and a due date, carry a backward timetable, and each unit keeps
only its own."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fairspot.core.errors import DomainError
from fairspot.council import services
from fairspot.council.models import LedgerItem, LedgerStatus, MilestoneStage
from fairspot.council.selectors import ledger_for, overdue_items
from fairspot.council.timetable import backward_timetable
from fairspot.holidays.workdays import WorkdayCalendar

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_item_without_an_owner_or_a_due_date_is_refused(held, office, departments):
    base = {"actor": office, "decision": held.decision, "department": departments["fire"], "task": "建台账"}
    with pytest.raises(DomainError, match="person responsible") as no_owner:
        services.item_create(**base, owner="  ", due_date=timezone.localdate() + timedelta(days=30))
    assert no_owner.value.field == "owner"
    with pytest.raises(DomainError, match="due date") as no_due:
        services.item_create(**base, owner="某某", due_date=None)
    assert no_due.value.field == "due_date"
    assert not LedgerItem.objects.exists()


def test_items_come_from_signed_off_minutes_only(council, office, departments):
    today = timezone.localdate()
    from fairspot.testing import council as helpers

    meeting = services.meeting_hold(
        actor=office, meeting=helpers.plenary(office, starts=today, topics_by=today), held_on=today
    )
    services.minutes_draft(actor=office, meeting=meeting, number="1", body="正文")
    decision = services.decision_add(actor=office, meeting=meeting, text="事项")
    with pytest.raises(DomainError, match="signed-off"):
        services.item_create(
            actor=office,
            decision=decision,
            department=departments["fire"],
            task="t",
            owner="某",
            due_date=today + timedelta(days=30),
        )


def test_the_timetable_is_counted_back_in_working_days():
    # 2026-10-01..07 National Day; 2026-10-10 (Saturday) a make-up working day
    cal = WorkdayCalendar(
        holidays=frozenset(D(2026, 10, d) for d in (1, 2, 5, 6, 7)),
        workdays=frozenset({D(2026, 10, 10)}),
        years=frozenset({2026}),
    )
    plan = dict(backward_timetable(cal, start=D(2026, 9, 1), due=D(2026, 10, 16)))
    assert plan[MilestoneStage.REPORT] == D(2026, 10, 16)
    assert plan[MilestoneStage.SELF_CHECK] == D(2026, 10, 13)  # Tue: 15, 14, 13
    # 10 working days back: 15 14 13 12 10(Sat, worked) 9 8 30-Sep 29 28
    assert plan[MilestoneStage.MIDWAY] == D(2026, 9, 28)
    assert plan[MilestoneStage.PLAN] == D(2026, 9, 14)


def test_a_late_start_squeezes_the_timetable_after_it():
    cal = WorkdayCalendar(holidays=frozenset(), workdays=frozenset(), years=frozenset({2026}))
    plan = backward_timetable(cal, start=D(2026, 6, 1), due=D(2026, 6, 11))  # 8 working days
    assert all(D(2026, 6, 1) <= day <= D(2026, 6, 11) for _stage, day in plan)
    assert dict(plan)[MilestoneStage.PLAN] == D(2026, 6, 1)  # 20 * 8/20 = 8 working days back: the start


def test_an_item_gets_its_milestones(market_item):
    stages = list(market_item.milestones.values_list("stage", flat=True))
    assert stages == [
        MilestoneStage.PLAN,
        MilestoneStage.MIDWAY,
        MilestoneStage.SELF_CHECK,
        MilestoneStage.REPORT,
    ]
    assert market_item.milestones.last().due_date == market_item.due_date


def test_a_unit_editing_another_units_ledger_is_refused(market_item, fire_admin):
    with pytest.raises(PermissionDenied):
        services.item_progress(actor=fire_admin, item=market_item, text="代填", status=LedgerStatus.DONE)
    with pytest.raises(PermissionDenied):
        services.milestone_done(actor=fire_admin, milestone=market_item.milestones.first())
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            actor=fire_admin, item=market_item, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
        )
    market_item.refresh_from_db()
    assert market_item.status == LedgerStatus.NOT_STARTED and not market_item.notes.exists()


def test_each_unit_sees_its_own_items_and_the_office_all(
    market_item, fire_item, market_admin, fire_admin, office, convenor, market_inspector
):
    assert list(ledger_for(market_admin)) == [market_item]
    assert list(ledger_for(fire_admin)) == [fire_item]
    assert set(ledger_for(office)) == {market_item, fire_item}
    assert set(ledger_for(convenor)) == {market_item, fire_item}  # the convenor holds a post


def test_the_unit_reports_done_and_the_office_closes(market_item, market_admin, office):
    with pytest.raises(DomainError, match="Only the office closes"):
        services.item_progress(actor=market_admin, item=market_item, text="完成", status=LedgerStatus.CLOSED)
    item = services.item_progress(
        actor=market_admin, item=market_item, text="已建立台账", status=LedgerStatus.DONE
    )
    assert item.done_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.item_supervise(actor=market_admin, item=item, text="自己销号", outcome="close")
    item = services.item_supervise(actor=office, item=item, text="核实完成，予以销号", outcome="close")
    assert item.status == LedgerStatus.CLOSED
    with pytest.raises(DomainError, match="closed"):
        services.item_progress(actor=market_admin, item=item, text="再改")
    assert [n.kind for n in item.notes.all()] == ["progress", "supervision"]


def test_overdue_items_are_those_past_due_and_not_done(market_item, fire_item, office, market_admin):
    LedgerItem.objects.filter(pk=market_item.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    later = timezone.localdate()
    assert list(overdue_items(office, later)) == [market_item]
    assert list(overdue_items(market_admin, later)) == [market_item]
    services.item_progress(actor=market_admin, item=market_item, text="完成", status=LedgerStatus.DONE)
    assert not overdue_items(office, later).exists()


def test_evidence_is_stored_after_the_commit(
    market_item, market_admin, media, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_add(
            actor=market_admin, item=market_item, upload=SimpleUploadedFile("台账.pdf", b"%PDF-1.4 ledger")
        )
    from pathlib import Path

    assert (Path(settings.MEDIA_ROOT) / evidence.path).read_bytes() == b"%PDF-1.4 ledger"
    with pytest.raises(DomainError, match="JPEG, PNG and PDF"):
        services.evidence_add(
            actor=market_admin, item=market_item, upload=SimpleUploadedFile("x.pdf", b"MZ...")
        )


def test_the_office_sees_a_summary_by_unit(market_item, fire_item, office, market_admin):
    from fairspot.council.selectors import ledger_summary

    LedgerItem.objects.filter(pk=fire_item.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    services.item_progress(actor=market_admin, item=market_item, text="完成", status=LedgerStatus.DONE)
    rows = {r["department__name"]: r for r in ledger_summary(office, timezone.localdate())}
    assert rows["高新区消防救援大队"]["overdue"] == 1 and rows["高新区消防救援大队"]["open"] == 1
    assert rows["高新区市场监管工作小组"]["done"] == 1 and rows["高新区市场监管工作小组"]["total"] == 1
