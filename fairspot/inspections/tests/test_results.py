"""Field record, results, review, publication, corrections, deadlines, follow-up, quiz, reminders."""

import hashlib
import smtplib
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from fairspot.audit.models import AuditEntry
from fairspot.core.errors import DomainError
from fairspot.inspections import services
from fairspot.inspections.models import (
    Attachment,
    FollowUp,
    Question,
    Reminder,
    ResultCorrection,
    ResultStatus,
    Visit,
    VisitItem,
)
from fairspot.inspections.selectors import published_results_for_target
from fairspot.inspections.services import attachments
from fairspot.inspectors.models import Inspector
from fairspot.testing.inspections import END, code, enter, publish

pytestmark = pytest.mark.django_db
ANSWERS = [{"answer": "yes", "note": ""}, {"answer": "no", "note": "年报未报送"}]


def test_full_path_record_enter_review_publish_keeps_who_did_what(
    officer, reviewer, market_admin, visit, line
):
    line = services.record_save(
        actor=officer,
        line=line,
        version=line.version,
        method_code="1",
        answers=ANSWERS,
        findings="年报未报送",
        confirmed_by=list(visit.members.all()),
    )
    assert line.version == 2 and line.answers[1] == {
        "point": "公示信息是否真实",
        "answer": "no",
        "note": "年报未报送",
    }
    line = enter(officer, line, "未按规定公示应当公示的信息", "责令补报")
    assert line.status == ResultStatus.ENTERED and line.entered_by == officer
    with pytest.raises(PermissionDenied):  # an inspector does not review
        services.result_review(actor=officer, line=line, version=line.version, approve=True)
    with pytest.raises(DomainError, match="returned"):
        services.result_review(actor=reviewer, line=line, version=line.version, approve=False)
    line = services.result_review(
        actor=reviewer, line=line, version=line.version, approve=False, opinion="补充照片"
    )
    assert line.status == ResultStatus.RETURNED and line.reviews.get().opinion == "补充照片"
    line = enter(market_admin, line, "未按规定公示应当公示的信息", "责令补报，已拍照")
    with pytest.raises(DomainError, match="does not review"):
        services.result_review(actor=market_admin, line=line, version=line.version, approve=True)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    with pytest.raises(DomainError, match="end of the inspection"):
        services.result_publish(actor=reviewer, line=line, version=line.version)
    services.visit_finish(actor=officer, visit=visit, end_date=END)
    line = services.result_publish(actor=reviewer, line=line, version=line.version)
    assert (
        line.status == ResultStatus.PUBLISHED
        and line.published_by == reviewer
        and line.reviewed_by == reviewer
    )
    assert [r.decision for r in line.reviews.all()] == [
        "returned",
        "approved",
    ]  # opinions kept, not overwritten
    actions = list(
        AuditEntry.objects.filter(object_type="inspections.visititem").values_list("action", flat=True)
    )
    assert "inspections.result.published" in actions and actions.count("inspections.result.entered") == 2


def test_deadline_is_the_20th_working_day_across_national_day(officer, visit):
    """Ended Fri 2025-09-26: National Day (10-01…10-08) is skipped; make-up days 09-28 and 10-11 count."""
    with pytest.raises(DomainError, match="before"):
        services.visit_finish(actor=officer, visit=visit, end_date=date(2025, 9, 1))
    visit = services.visit_finish(actor=officer, visit=visit, end_date=END)
    assert visit.deadline == date(2025, 10, 30)  # 20 plain weekdays would give 10-24
    with pytest.raises(DomainError, match="not open"):
        services.visit_finish(actor=officer, visit=visit, end_date=END)


def _today(monkeypatch, day):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)


def test_a_visit_finished_in_december_2026_gets_a_provisional_deadline_that_moves(
    officer, visit, office, monkeypatch
):
    from fairspot.holidays.services import day_create, year_declare
    from fairspot.holidays.testing import enter_statutory_schedule

    _today(monkeypatch, date(2026, 12, 18))
    visit.inspection_date = date(2026, 12, 17)
    visit.save()
    visit = services.visit_finish(actor=officer, visit=visit, end_date=date(2026, 12, 18))
    # 12-21…25 (5), 12-28…31 (9), [元旦 Fri 01-01], 01-04…08 (14), 01-11…15 (19), Mon 01-18 (20)
    assert (visit.deadline, visit.deadline_provisional) == (date(2027, 1, 18), True)
    # the office enters 2027 with a bridge day the law alone does not give (say Mon 2027-01-04)
    enter_statutory_schedule(office, 2027, extra_holidays=[date(2027, 1, 4)])
    day_create(actor=office, values={"date": date(2027, 1, 9), "kind": "workday", "name": "调休上班"})
    confirmation = year_declare(actor=office, year=2027)
    visit.refresh_from_db()
    # 01-04 off, Sat 01-09 worked: one lost, one gained — still the 18th? 01-05…08 (13), 01-09 (14),
    # 01-11…15 (19), Mon 01-18 (20).
    assert (visit.deadline, visit.deadline_provisional) == (date(2027, 1, 18), False)
    assert [c["new"] for c in confirmation.recomputed if c["visit"] == visit.pk] == ["2027-01-18"]
    entry = AuditEntry.objects.filter(action="inspections.visit.deadline_recomputed", object_id=str(visit.pk))
    assert entry.get().changes == {"deadline_provisional": [True, False]}


def test_confirming_a_year_moves_a_provisional_deadline_and_audits_old_and_new(
    officer, visit, office, monkeypatch
):
    from fairspot.holidays.services import year_declare
    from fairspot.holidays.testing import enter_statutory_schedule

    _today(monkeypatch, date(2026, 12, 18))
    visit.inspection_date = date(2026, 12, 18)
    visit.save()
    visit = services.visit_finish(actor=officer, visit=visit, end_date=date(2026, 12, 18))
    assert visit.deadline == date(2027, 1, 18) and visit.deadline_provisional
    enter_statutory_schedule(office, 2027, extra_holidays=[date(2027, 1, 4), date(2027, 1, 5)])
    confirmation = year_declare(actor=office, year=2027)
    visit.refresh_from_db()
    assert (visit.deadline, visit.deadline_provisional) == (date(2027, 1, 20), False)
    moved = [c for c in confirmation.recomputed if c["old"] != c["new"]]
    assert moved == [
        {
            "visit": visit.pk,
            "what": moved[0]["what"],
            "old": "2027-01-18",
            "new": "2027-01-20",
            "provisional": False,
        }
    ]
    entry = AuditEntry.objects.get(action="inspections.visit.deadline_recomputed", object_id=str(visit.pk))
    assert entry.changes["deadline"] == ["2027-01-18", "2027-01-20"]


def test_the_visit_page_marks_a_provisional_deadline(client, officer, visit, monkeypatch):
    _today(monkeypatch, date(2026, 12, 18))
    visit.inspection_date = date(2026, 12, 18)
    visit.save()
    services.visit_finish(actor=officer, visit=visit, end_date=date(2026, 12, 18))
    client.force_login(officer)
    url = reverse("inspections:visit", args=[visit.pk])
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    html = client.get(url).content.decode()
    translation.activate("en")  # the middleware leaves Chinese active in this thread
    assert "2027-01-18" in html and "暂定" in html


def test_a_visit_cannot_end_in_the_future_or_before_it_began(officer, visit, monkeypatch):
    _today(monkeypatch, date(2025, 9, 25))
    with pytest.raises(DomainError, match="2025-09-26"):
        services.visit_finish(actor=officer, visit=visit, end_date=date(2025, 9, 26))
    with pytest.raises(DomainError, match="before it began"):
        services.visit_finish(actor=officer, visit=visit, end_date=date(2025, 9, 21))
    visit.refresh_from_db()
    assert visit.status == "planned" and visit.end_date is None
    services.visit_finish(actor=officer, visit=visit, end_date=date(2025, 9, 25))


def test_a_result_cannot_be_entered_before_the_inspection_date(officer, visit, line, monkeypatch):
    _today(monkeypatch, date(2025, 9, 21))
    with pytest.raises(DomainError, match="2025-09-22"):
        services.result_enter(actor=officer, line=line, version=line.version, result_code=code("未发现问题"))
    line.refresh_from_db()
    assert line.result_code_id is None


def test_the_finish_form_defaults_to_a_date_it_accepts(client, officer, visit, monkeypatch):
    _today(monkeypatch, date(2025, 9, 24))
    client.force_login(officer)
    response = client.get(reverse("inspections:visit", args=[visit.pk]))
    assert response.context["finish_form"].initial["end_date"] == date(2025, 9, 24)
    client.post(reverse("inspections:finish", args=[visit.pk]), {"end_date": "2025-09-24"})
    visit.refresh_from_db()
    assert visit.end_date == date(2025, 9, 24)


def test_second_officer_saving_the_same_result_is_told_and_nothing_is_lost(officer, market_admin, line):
    opened = line.version  # both officers opened the form at this version
    services.result_enter(
        actor=officer, line=line, version=opened, result_code=code("未发现问题"), remarks="first"
    )
    with pytest.raises(DomainError, match="Somebody else saved"):
        services.result_enter(
            actor=market_admin,
            line=line,
            version=opened,
            result_code=code("发现问题经责令已改正"),
            remarks="second",
        )
    line.refresh_from_db()
    assert line.remarks == "first" and line.entered_by == officer and line.version == opened + 1


def test_recording_needs_two_officers_with_valid_certificates(officer, visit, line):
    Inspector.objects.filter(pk=visit.leader_id).update(certificate_expiry=date(2025, 9, 1))
    with pytest.raises(DomainError, match="two officers"):
        services.record_save(
            actor=officer, line=line, version=line.version, method_code="1", answers=ANSWERS, findings=""
        )
    with pytest.raises(DomainError, match="two officers"):
        enter(officer, line)
    line.refresh_from_db()
    assert line.status == ResultStatus.NOT_ENTERED and line.version == 1


def test_record_bad_input(officer, fire_admin, line):
    with pytest.raises(DomainError, match="not permitted"):
        services.record_save(
            actor=officer, line=line, version=1, method_code="5", answers=ANSWERS, findings=""
        )
    with pytest.raises(DomainError, match="every checklist point"):
        services.record_save(
            actor=officer, line=line, version=1, method_code="1", answers=ANSWERS[:1], findings=""
        )
    with pytest.raises(PermissionDenied):
        services.record_save(
            actor=fire_admin, line=line, version=1, method_code="1", answers=ANSWERS, findings=""
        )
    with pytest.raises(DomainError, match="heading"):
        services.result_enter(actor=officer, line=line, version=1, result_code=code("发现问题待后续处理"))


def test_published_result_changes_only_through_a_visible_correction(officer, reviewer, visit, line):
    line = publish(officer, reviewer, line, visit)
    with pytest.raises(DomainError, match="correction"):
        services.result_enter(
            actor=officer, line=line, version=line.version, result_code=code("发现问题经责令已改正")
        )
    with pytest.raises(DomainError):
        services.record_save(
            actor=officer, line=line, version=line.version, method_code="1", answers=ANSWERS, findings="x"
        )
    with pytest.raises(DomainError, match="why"):
        services.result_correct(
            actor=reviewer, line=line, result_code=code("发现问题经责令已改正"), remarks="", reason=""
        )
    services.result_correct(
        actor=reviewer,
        line=line,
        result_code=code("发现问题经责令已改正"),
        remarks="已改正",
        reason="录入错误，以记录表为准",
    )
    line = VisitItem.objects.get(pk=line.pk)
    assert line.result_code.label == "未发现问题" and line.status == ResultStatus.PUBLISHED  # original intact
    assert line.current_code.label == "发现问题经责令已改正" and ResultCorrection.objects.count() == 1
    html = Template("{% load inspections %}{% target_results target %}").render(
        Context({"target": visit.target})
    )
    assert "发现问题经责令已改正" in html and "录入错误，以记录表为准" in html and "未发现问题" in html
    assert list(published_results_for_target(visit.target)) == [line]


def test_follow_up_dispositions_and_closing(officer, reviewer, visit, line, departments):
    line = publish(officer, reviewer, line, visit)
    with pytest.raises(DomainError, match="deadline"):
        services.followup_add(actor=reviewer, line=line, disposition="correct")
    with pytest.raises(DomainError, match="after"):
        services.followup_add(
            actor=reviewer,
            line=line,
            disposition="correct",
            correct_by=date(2025, 11, 1),
            recheck_on=date(2025, 10, 1),
        )
    with pytest.raises(DomainError, match="department"):
        services.followup_add(actor=reviewer, line=line, disposition="copy")
    followup = services.followup_add(
        actor=reviewer,
        line=line,
        disposition="correct",
        correct_by=date(2025, 10, 31),
        recheck_on=date(2025, 11, 7),
    )
    assert not followup.closed
    services.followup_add(actor=reviewer, line=line, disposition="copy", copied_to=departments["fire"])
    with pytest.raises(DomainError, match="closing date"):
        services.followup_close(actor=reviewer, followup=followup, closed_on=date(2020, 1, 1))
    today = date.today()
    followup = services.followup_close(actor=reviewer, followup=followup, closed_on=today, note="复查已改正")
    assert followup.closed and followup.closed_on == today
    with pytest.raises(DomainError, match="already closed"):
        services.followup_close(actor=reviewer, followup=followup, closed_on=today)
    assert FollowUp.objects.filter(line=line).count() == 2


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PDF = b"%PDF-1.4\n%test\n"


def files(media):
    """The files under attachments/ and incoming/, relative to MEDIA_ROOT."""
    found = [*(media / "attachments").rglob("*"), *(media / "incoming").rglob("*")]
    return sorted(p.relative_to(media).as_posix() for p in found if p.is_file())


def test_attachment_is_stored_under_its_sha256_once_committed(
    officer, line, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    sha = hashlib.sha256(JPEG).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        att = services.attachment_add(
            actor=officer, line=line, upload=SimpleUploadedFile("门头.JPG", JPEG), kind="photo"
        )
        assert len(received := files(tmp_path)) == 1 and received[0].startswith("incoming/")
    assert att.sha256 == sha and att.content_type == "image/jpeg" and att.size == len(JPEG)
    assert att.path == f"attachments/{sha[:2]}/{sha}.jpg"
    assert (tmp_path / att.path).read_bytes() == JPEG
    with django_capture_on_commit_callbacks(execute=True):
        report = services.attachment_add(
            actor=officer,
            line=line,
            upload=SimpleUploadedFile("检测报告.pdf", PDF),
            kind="agency",
            source="新乡市质检院",
        )
        again = services.attachment_add(  # the same content is stored once
            actor=officer, line=line, upload=SimpleUploadedFile("again.jpg", JPEG), kind="photo"
        )
    assert report.kind == "agency" and report.source == "新乡市质检院" and again.path == att.path
    assert files(tmp_path) == sorted([att.path, report.path])  # nothing left in incoming/


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits and rollbacks
def test_a_failed_transaction_leaves_no_file_behind(officer, reviewer, line, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = services.attachment_add(
        actor=officer, line=line, upload=SimpleUploadedFile("report.pdf", PDF), kind="document"
    )
    assert files(tmp_path) == [stored.path]  # committed: in place at once
    received = []
    with pytest.raises(RuntimeError), transaction.atomic():  # e.g. a later step of the same request fails
        services.attachment_add(
            actor=officer, line=line, upload=SimpleUploadedFile("门头.jpg", JPEG), kind="photo"
        )
        received = files(tmp_path)
        raise RuntimeError("the transaction fails after the file was received")
    assert len(received) == 2 and received[1].startswith("incoming/")  # the file had arrived
    assert list(Attachment.objects.all()) == [stored]
    assert files(tmp_path) == [stored.path]
    publish(officer, reviewer, line, line.visit)  # refused inside the service's own transaction
    with pytest.raises(DomainError, match="published"):
        services.attachment_add(
            actor=officer, line=line, upload=SimpleUploadedFile("late.jpg", JPEG), kind="photo"
        )
    assert files(tmp_path) == [stored.path]


@pytest.mark.parametrize(
    "name,content,kind,message",
    [
        ("photo.jpg", b"MZ\x90\x00 an executable renamed", "photo", "Only JPEG, PNG and PDF"),
        ("report.pdf", JPEG, "document", "does not match"),
        ("scan.pdf", PDF, "photo", "photo must be"),
        ("report.pdf", PDF, "authority", "Name the authority"),
    ],
)
def test_forbidden_attachments_are_refused(officer, line, settings, tmp_path, name, content, kind, message):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError, match=message):
        services.attachment_add(actor=officer, line=line, upload=SimpleUploadedFile(name, content), kind=kind)
    assert not Attachment.objects.exists()


def test_too_large_attachment_is_refused(officer, line, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(attachments, "ATTACHMENT_MAX_BYTES", 1000)  # where it is used
    with pytest.raises(DomainError, match="may not exceed"):
        services.attachment_add(
            actor=officer,
            line=line,
            upload=SimpleUploadedFile("big.jpg", JPEG + b"\x00" * 1000),
            kind="photo",
        )
    assert not Attachment.objects.exists() and files(tmp_path) == []


def test_quiz_is_drawn_reproducibly_from_the_seed(officer, market_admin, draw, visit, line):
    for n in range(12):
        services.question_add(actor=market_admin, item=line.item, code=f"Q{n:02d}", text=f"问题{n}")
    chosen = [q.code for q in services.quiz_questions(line)]

    def key(q):  # the documented rule, recomputed with hashlib only
        h = hashlib.sha256()
        for part in (
            b"fairspot-quiz/1",
            bytes.fromhex(draw.seed),
            visit.target.identifier.encode(),
            q.encode(),
        ):
            h.update(len(part).to_bytes(8, "big") + part)
        return h.digest()

    assert chosen == sorted((f"Q{n:02d}" for n in range(12)), key=key)[:5]
    assert chosen == [q.code for q in services.quiz_questions(line)]
    score = services.quiz_record(actor=officer, line=line, person="张安全员", correct=3)
    assert score.passed and score.questions == chosen
    assert not services.quiz_record(actor=officer, line=line, person="李某", correct=2).passed
    with pytest.raises(DomainError, match="between 0 and 5"):
        services.quiz_record(actor=officer, line=line, person="王某", correct=6)
    with pytest.raises(DomainError, match="already has"):
        services.question_add(actor=market_admin, item=line.item, code="Q01", text="重复")
    Question.objects.all().delete()
    with pytest.raises(DomainError, match="no question bank"):
        services.quiz_record(actor=officer, line=line, person="王某", correct=1)


def test_remind_deadlines_writes_reminders_and_mails_once_a_day(officer, reviewer, visit, line):
    Visit.objects.exclude(pk=visit.pk).update(deadline=None)  # only this visit is due
    services.visit_finish(actor=officer, visit=visit, end_date=END)  # deadline 2025-10-30
    call_command("remind_deadlines", "--today", "2025-10-27", "--within", "5")
    reminders = Reminder.objects.filter(line=line)
    users = set(reminders.values_list("user__username", flat=True))
    assert {"officer", "reviewer", "market"} <= users
    assert set(reminders.values_list("kind", flat=True)) == {"due"}
    assert (
        len(mail.outbox) == 1
        and mail.outbox[0].to == ["r@example.org"]
        and "1 result(s) due soon" in mail.outbox[0].subject
    )
    call_command("remind_deadlines", "--today", "2025-10-27")
    assert Reminder.objects.filter(line=line).count() == reminders.count() and len(mail.outbox) == 1
    call_command("remind_deadlines", "--today", "2025-11-03")
    assert Reminder.objects.filter(line=line, kind="overdue").exists()
    call_command("remind_deadlines", "--today", "2025-10-01", "--within", "5")  # far from the deadline
    assert not Reminder.objects.filter(day=date(2025, 10, 1)).exists()


class DownMailServer(BaseEmailBackend):
    """A mail server that cannot be reached: raises, or sends nothing when told to fail silently."""

    def send_messages(self, email_messages):
        if not self.fail_silently:
            raise smtplib.SMTPServerDisconnected("mail server down")
        return 0


def test_remind_deadlines_marks_reminders_emailed_only_once_sent_and_retries_the_failed(
    officer, reviewer, visit, line
):
    Visit.objects.exclude(pk=visit.pk).update(deadline=None)
    services.visit_finish(actor=officer, visit=visit, end_date=END)  # deadline 2025-10-30
    err = StringIO()
    with override_settings(EMAIL_BACKEND=f"{__name__}.DownMailServer"):
        call_command("remind_deadlines", "--today", "2025-10-27", stdout=StringIO(), stderr=err)
    reminders = Reminder.objects.filter(line=line)
    written = reminders.count()
    assert written and not reminders.filter(emailed=True).exists() and mail.outbox == []
    assert "1 e-mail(s) failed" in err.getvalue()

    call_command("remind_deadlines", "--today", "2025-10-27", stdout=StringIO())  # the server is back
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["r@example.org"]
    assert set(reminders.filter(emailed=True).values_list("user__email", flat=True)) == {"r@example.org"}
    assert not reminders.filter(emailed=True, user__email="").exists()  # no address: never e-mailed
    call_command("remind_deadlines", "--today", "2025-10-27", stdout=StringIO())
    assert len(mail.outbox) == 1 and reminders.count() == written  # nothing new, nothing sent twice
