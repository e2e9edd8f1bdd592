"""Writes of the inspection workflow. Each state change is audited (``inspections.*`` actions).

1. ``visits_create_for_draw``: one visit per drawn target of a revealed draw, with its team; a visit
   to the same target on the same date (another task's draw) is merged into ("进一次门、查多项事").
2. ``visit_replace_target``: a drawn target turned out closed: the next unused alternate of its
   stratum takes its place, with the reason.
3. ``record_save`` / ``attachment_add`` / ``quiz_record``: the field record of one item.
4. ``visit_finish``: the end date of the inspection fixes the publication deadline
   (``add_working_days(end, 20)``: the 20th working day after it, the end date not counted).
5. ``result_enter`` → ``result_review`` (returned or approved) → ``result_publish``; a published result
   changes only through ``result_correct`` (a visible correction record).
6. ``followup_add`` / ``followup_close``.
7. ``send_reminders``: due and overdue results → in-app reminders and e-mail.

Saves of a visit item name the ``version`` they started from and are refused when somebody else saved
in between (``UPDATE … WHERE version = n``), so the second officer is told and nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fairspot.accounts.models import Role, User
from fairspot.accounts.scoping import require_department, require_manager
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draw.canonical import tagged_hash
from fairspot.draws.models import Draw, DrawnTarget, DrawStatus, Team
from fairspot.holidays.workdays import add_working_days, add_working_days_marked
from fairspot.inspections.models import (
    RESULT_SCHEME,
    Attachment,
    AttachmentKind,
    Disposition,
    FollowUp,
    Question,
    QuizScore,
    Reminder,
    ResultCorrection,
    ResultStatus,
    Review,
    Visit,
    VisitItem,
    VisitStatus,
)
from fairspot.inspectors.models import Conflict

logger = logging.getLogger(__name__)

DEADLINE_WORKING_DAYS = 20
ATTACHMENT_MAX_BYTES = settings.FAIRSPOT_ATTACHMENT_MAX_BYTES
# content type → (magic prefix, permitted file-name extensions)
ATTACHMENT_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "application/pdf": (b"%PDF-", (".pdf",)),
}
QUIZ_TAG = "fairspot-quiz/1"
QUIZ_SIZE = settings.FAIRSPOT_QUIZ_SIZE
QUIZ_PASS_PERCENT = settings.FAIRSPOT_QUIZ_PASS_PERCENT
ANSWERS = ("yes", "no", "na", "")


# --- permissions ---------------------------------------------------------------------------------
def visit_department_ids(visit: Visit) -> set[int]:
    return {visit.department_id, *visit.departments.values_list("pk", flat=True)}


def is_team_member(user, visit: Visit) -> bool:
    return user.is_authenticated and visit.members.filter(user=user).exists()


def can_record(user, visit: Visit) -> bool:
    """Team members, their departments' administrators and the office enter field records and results."""
    if not user.is_authenticated:
        return False
    if user.sees_all_departments or is_team_member(user, visit):
        return True
    return user.can_manage and user.department_id in visit_department_ids(visit)


def require_record(user, visit: Visit) -> None:
    if not can_record(user, visit):
        raise PermissionDenied(_("Only the visit's team and its departments' administrators enter records."))


def can_review(user, line: VisitItem) -> bool:
    """Administrators of the item's department (or the office), never the person who entered the result."""
    if not (user.is_authenticated and user.can_manage):
        return False
    if not user.sees_all_departments and user.department_id != line.department_id:
        return False
    return line.entered_by_id != user.pk


def _require_two_officers(visit: Visit) -> None:
    valid = [m for m in visit.members.all() if m.certificate_valid_on(visit.inspection_date)]
    if len(valid) < 2:
        raise DomainError(
            _(
                "At least two officers with enforcement certificates valid on %(date)s must make up the "
                "team; this team has %(n)s. Nothing was recorded."
            )
            % {"date": visit.inspection_date.isoformat(), "n": len(valid)}
        )


def _locked(line: VisitItem) -> VisitItem:
    return VisitItem.objects.select_for_update().select_related("visit", "item").get(pk=line.pk)


def _save_versioned(line: VisitItem, version: int, **fields) -> VisitItem:
    """``UPDATE … SET …, version = version + 1 WHERE pk = … AND version = n``; refused when 0 rows."""
    updated = VisitItem.objects.filter(pk=line.pk, version=version).update(version=F("version") + 1, **fields)
    if updated != 1:
        current = VisitItem.objects.filter(pk=line.pk).values_list("version", flat=True).first()
        raise DomainError(
            _(
                "Somebody else saved this record after you opened it (you started from version "
                "%(mine)s, it is now version %(now)s). Your entry was not saved: it is shown again "
                "below; reload the record, compare, and save again."
            )
            % {"mine": version, "now": current},
            field="version",
        )
    return VisitItem.objects.select_related("visit", "item").get(pk=line.pk)


def publication_deadline(end: date) -> tuple[date, bool]:
    """The 20th working day after ``end``, and whether it is provisional (暂定, ``holidays.workdays``)."""
    return add_working_days_marked(end, DEADLINE_WORKING_DAYS)


# --- visits --------------------------------------------------------------------------------------
def _merge_or_create(*, actor, target, day, task, draw, team_leader, members, replaces=None, reason=""):
    """Add the task's items and departments and the team to the visit to target on day, or create it."""
    departments = [task.department, *task.participating_departments.all()]
    visit = (
        Visit.objects.select_for_update()
        .filter(target=target, inspection_date=day)
        .exclude(status=VisitStatus.REPLACED)
        .first()
    )
    created = visit is None
    if created:
        deadline, provisional = publication_deadline(day)  # until the end date fixes it
        visit = Visit.objects.create(
            target=target,
            inspection_date=day,
            department=task.department,
            leader=team_leader,
            deadline=deadline,
            deadline_provisional=provisional,
            replaces=replaces,
            replace_reason=reason,
        )
    elif visit.status != VisitStatus.PLANNED:
        raise DomainError(
            _("The visit to %(target)s on %(date)s is already finished; its items cannot be extended.")
            % {"target": target.name, "date": day.isoformat()}
        )
    before_items = set(visit.lines.values_list("item_id", flat=True))
    before_members = set(visit.members.values_list("pk", flat=True))
    visit.departments.add(*departments)
    visit.draws.add(draw)
    visit.members.add(*members)
    added = []
    for item in task.items.all():
        if item.pk not in before_items:
            VisitItem.objects.create(visit=visit, item=item, draw=draw, department=task.department)
            added.append(item.code)
    data = {
        "draw": draw.draw_id,
        "target": target.identifier,
        "items": added,
        "members": sorted(m.staff_no for m in members if m.pk not in before_members),
        "leader": visit.leader.staff_no,
    }
    if replaces is not None:
        data.update(replaces=replaces.pk, reason=reason)
    record(actor, "inspections.visit.created" if created else "inspections.visit.merged", visit, data=data)
    return visit


def visits_create_for_draw(*, actor, draw: Draw) -> list[Visit]:
    """One visit per drawn (non-alternate) target of a revealed draw, with the draw's team.

    When a visit to the same target on the same inspection date exists already (another task's draw),
    the task's items and departments are added to it and this draw's team members join its team; the
    first leader stays leader.
    """
    require_department(actor, draw.task.department_id)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task").get(pk=draw.pk)
        if draw.status != DrawStatus.REVEALED:
            raise DomainError(_("Visits are created from a revealed draw only."))
        if draw.visits.exists():
            raise DomainError(
                _("The visits of draw %(id)s have already been created.") % {"id": draw.draw_id}
            )
        teams = {
            t.target_id: t
            for t in Team.objects.filter(draw=draw, current=True)
            .select_related("leader")
            .prefetch_related("members")
        }
        drawn = list(draw.drawn.filter(alternate=False).select_related("target"))
        missing = [d.target.name for d in drawn if d.target_id not in teams]
        if missing:
            raise DomainError(
                _(
                    "No team was matched for %(n)s drawn target(s) (e.g. %(name)s); "
                    "no visit goes without a team."
                )
                % {"n": len(missing), "name": missing[0]}
            )
        visits = []
        for entry in drawn:
            team = teams[entry.target_id]
            visits.append(
                _merge_or_create(
                    actor=actor,
                    target=entry.target,
                    day=draw.task.inspection_date,
                    task=draw.task,
                    draw=draw,
                    team_leader=team.leader,
                    members=list(team.members.all()),
                )
            )
    return visits


def visit_replace_target(*, actor, visit: Visit, reason: str, requested_by=None) -> Visit:
    """The drawn target turned out closed: the next unused alternate of its stratum replaces it.

    The alternate is not chosen by the officer: it is the lowest-ranked alternate of the same draw and
    stratum that no visit uses yet. The team goes along unless one of its members has a declared
    conflict with the alternate. The replaced visit stays, marked replaced, with the reason.
    """
    require_record(actor, visit)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the drawn target cannot be inspected."), field="reason")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("target").get(pk=visit.pk)
        if visit.status != VisitStatus.PLANNED:
            raise DomainError(_("Only a planned visit can move to an alternate target."))
        if visit.lines.exclude(status=ResultStatus.NOT_ENTERED).exists():
            raise DomainError(_("Results have been entered for this visit; it cannot be replaced."))
        entry = (
            DrawnTarget.objects.filter(draw__in=visit.draws.all(), target=visit.target, alternate=False)
            .select_related("draw", "draw__task")
            .order_by("draw_id")
            .first()
        )
        if entry is None:
            raise DomainError(_("This visit's target was not drawn; there is no alternate for it."))
        used = Visit.objects.filter(draws=entry.draw).values_list("target_id", flat=True)
        alternate = (
            DrawnTarget.objects.filter(draw=entry.draw, stratum=entry.stratum, alternate=True)
            .exclude(target_id__in=list(used))
            .select_related("target")
            .order_by("rank")
            .first()
        )
        if alternate is None:
            raise DomainError(
                _("No unused alternate is left in stratum %(stratum)s of draw %(id)s.")
                % {"stratum": entry.stratum, "id": entry.draw.draw_id}
            )
        members = list(visit.members.all())
        today = visit.inspection_date
        conflicted = Conflict.objects.filter(inspector__in=members, target=alternate.target).filter(
            Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        if conflicted.exists():
            raise DomainError(
                _("%(name)s has a declared conflict with the alternate %(target)s; match a new team.")
                % {"name": conflicted.first().inspector.name, "target": alternate.target.name}
            )
        Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.REPLACED, replace_reason=reason)
        record(
            actor,
            "inspections.visit.replaced",
            visit,
            changes={"status": [VisitStatus.PLANNED, VisitStatus.REPLACED]},
            data={
                "reason": reason,
                "alternate": alternate.target.identifier,
                "draw": entry.draw.draw_id,
                "requested_by": requested_by.get_username() if requested_by else actor.get_username(),
                "approved_by": actor.get_username(),
            },
        )
        new = _merge_or_create(
            actor=actor,
            target=alternate.target,
            day=visit.inspection_date,
            task=entry.draw.task,
            draw=entry.draw,
            team_leader=visit.leader,
            members=members,
            replaces=visit,
            reason=reason,
        )
        # the other tasks that had merged into the replaced visit go along to the alternate
        for line in visit.lines.select_related("draw"):
            if not new.lines.filter(item=line.item).exists():
                VisitItem.objects.create(
                    visit=new, item=line.item, draw=line.draw, department=line.department
                )
        new.departments.add(*visit.departments.all())
        new.draws.add(*visit.draws.all())
    return new


def visit_finish(*, actor, visit: Visit, end_date: date) -> Visit:
    """Record the end of the field work; the publication deadline is the 20th working day after it."""
    require_record(actor, visit)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.status != VisitStatus.PLANNED:
            raise DomainError(_("This visit is not open."))
        if end_date < visit.inspection_date:
            raise DomainError(_("The inspection cannot end before it began."), field="end_date")
        if end_date > timezone.localdate():
            raise DomainError(
                _("The end date %(day)s is in the future: record the end once the field work is over.")
                % {"day": end_date.isoformat()},
                field="end_date",
            )
        deadline, provisional = publication_deadline(end_date)  # never refused for want of a calendar
        before = {
            "status": visit.status,
            "end_date": visit.end_date,
            "deadline": visit.deadline,
            "deadline_provisional": visit.deadline_provisional,
        }
        visit.status, visit.end_date = VisitStatus.DONE, end_date
        visit.deadline, visit.deadline_provisional = deadline, provisional
        visit.save(update_fields=["status", "end_date", "deadline", "deadline_provisional"])
        record(
            actor,
            "inspections.visit.finished",
            visit,
            changes={k: [v, getattr(visit, k)] for k, v in before.items() if v != getattr(visit, k)},
        )
    return visit


# --- field record --------------------------------------------------------------------------------
def record_save(
    *,
    actor,
    line: VisitItem,
    version: int,
    method_code: str | None,
    answers: list[dict],
    findings: str,
    confirmed_by=(),
) -> VisitItem:
    """Save the field record of one item: method, an answer per checklist point, findings, confirmation."""
    require_record(actor, line.visit)
    with transaction.atomic():
        line = _locked(line)
        visit = line.visit
        _require_two_officers(visit)
        if line.status in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
            raise DomainError(_("The result is approved; the field record can no longer change."))
        allowed = line.item.method_codes
        if method_code and allowed and method_code not in allowed:
            raise DomainError(
                _("Method %(code)s is not permitted for item %(item)s (permitted: %(allowed)s).")
                % {"code": method_code, "item": line.item.code, "allowed": ", ".join(allowed)},
                field="method",
            )
        points = line.item.checklist_points
        if len(answers) != len(points):
            raise DomainError(_("Answer every checklist point of the item."), field="answers")
        clean = []
        for point, answer in zip(points, answers, strict=True):
            if answer.get("answer", "") not in ANSWERS:
                raise DomainError(_("Unknown answer %(a)s.") % {"a": answer.get("answer")}, field="answers")
            clean.append({"point": point, "answer": answer.get("answer", ""), "note": answer.get("note", "")})
        members = {m.pk for m in visit.members.all()}
        confirmed = list(confirmed_by)
        if any(c.pk not in members for c in confirmed):
            raise DomainError(_("Only the team's officers confirm the record."), field="confirmed_by")
        before = {"method": line.method_id, "findings": line.findings, "answers": line.answers}
        line = _save_versioned(
            line,
            version,
            method_id=method_code or None,
            answers=clean,
            findings=findings.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        line.confirmed_by.set(confirmed)
        after = {"method": line.method_id, "findings": line.findings, "answers": line.answers}
        record(
            actor,
            "inspections.record.saved",
            line,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            data={"version": line.version, "confirmed_by": sorted(c.staff_no for c in confirmed)},
            department_id=line.department_id,
        )
    return line


def detect_content_type(head: bytes) -> str | None:
    for content_type, (magic, _exts) in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def attachments_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def attachment_add(
    *, actor, line: VisitItem, upload, kind: str, source: str = "", description: str = ""
) -> Attachment:
    """Store an evidence file after checking its size and its real type (magic bytes, not the name)."""
    require_record(actor, line.visit)
    if kind not in AttachmentKind.values:
        raise DomainError(_("Unknown kind of attachment."), field="kind")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("The file is %(size)s bytes; attachments may not exceed %(max)s bytes.")
            % {"size": upload.size, "max": ATTACHMENT_MAX_BYTES},
            field="file",
        )
    head = b""
    for chunk in upload.chunks():
        head = chunk[:16]
        break
    upload.seek(0)
    content_type = detect_content_type(head)
    name = Path(upload.name or "").name
    if content_type is None:
        raise DomainError(_("Only JPEG, PNG and PDF files are accepted."), field="file")
    if Path(name).suffix.lower() not in ATTACHMENT_TYPES[content_type][1]:
        raise DomainError(
            _("The file name %(name)s does not match its content (%(type)s).")
            % {"name": name, "type": content_type},
            field="file",
        )
    if kind == AttachmentKind.PHOTO and not content_type.startswith("image/"):
        raise DomainError(_("A photo must be a JPEG or PNG image."), field="file")
    if kind in (AttachmentKind.AUTHORITY, AttachmentKind.AGENCY) and not source.strip():
        raise DomainError(_("Name the authority or agency that issued the report."), field="source")
    root = attachments_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=root, delete=False) as tmp:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > ATTACHMENT_MAX_BYTES:
                tmp.close()
                Path(tmp.name).unlink(missing_ok=True)
                raise DomainError(_("The file exceeds the size limit."), field="file")
            digest.update(chunk)
            tmp.write(chunk)
    sha = digest.hexdigest()
    relative = f"attachments/{sha[:2]}/{sha}{ATTACHMENT_TYPES[content_type][1][0]}"
    final = Path(settings.MEDIA_ROOT) / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        Path(tmp.name).unlink()
    else:
        Path(tmp.name).replace(final)
    with transaction.atomic():
        line = _locked(line)
        if line.status == ResultStatus.PUBLISHED:
            raise DomainError(_("The result is published; evidence is no longer added."))
        attachment = Attachment.objects.create(
            line=line,
            kind=kind,
            source=source.strip(),
            description=description.strip(),
            original_name=name[:255],
            content_type=content_type,
            size=size,
            sha256=sha,
            path=relative,
            uploaded_by=actor,
        )
        record(
            actor,
            "inspections.attachment.added",
            line,
            data={"sha256": sha, "name": name, "kind": kind, "size": size},
            department_id=line.department_id,
        )
    return attachment


# --- quiz (逢查必考) ---------------------------------------------------------------------------------
def quiz_key(seed_hex: str, target_identifier: str, question_code: str) -> bytes:
    """SHA-256( LP("fairspot-quiz/1") ‖ LP(seed) ‖ LP(target identifier) ‖ LP(question number) ).

    LP(x) is x prefixed with its length as 8 bytes big-endian; the seed is the draw's 32-byte seed
    (its 64 hex digits decoded), identifier and question number are UTF-8.
    """
    return tagged_hash(
        QUIZ_TAG, bytes.fromhex(seed_hex), target_identifier.encode("utf-8"), question_code.encode("utf-8")
    )


def quiz_questions(line: VisitItem, k: int = QUIZ_SIZE) -> list[Question]:
    """The quiz of a visit item: the k active questions of the item's bank with the smallest keys.

    The key of a question is ``quiz_key(seed, target identifier, question number)`` where seed is the
    seed of the draw that brought the item to the visit, so anyone with the draw's published seed and
    the bank can recompute the quiz; nobody chooses the questions.
    """
    questions = list(Question.objects.filter(item_id=line.item_id, active=True))
    seed = line.draw.seed
    target = line.visit.target.identifier
    questions.sort(key=lambda q: (quiz_key(seed, target, q.code), q.code))
    return questions[:k]


def quiz_record(*, actor, line: VisitItem, person: str, correct: int, position: str = "") -> QuizScore:
    require_record(actor, line.visit)
    person = person.strip()
    if not person:
        raise DomainError(_("Name the person examined."), field="person")
    questions = quiz_questions(line)
    if not questions:
        raise DomainError(_("The item has no question bank."))
    if not 0 <= correct <= len(questions):
        raise DomainError(
            _("The score must lie between 0 and %(n)s.") % {"n": len(questions)}, field="correct"
        )
    passed = correct * 100 >= QUIZ_PASS_PERCENT * len(questions)
    with transaction.atomic():
        score = QuizScore.objects.create(
            line=line,
            person=person,
            position=position.strip(),
            questions=[q.code for q in questions],
            correct=correct,
            passed=passed,
            recorded_by=actor,
        )
        record(
            actor,
            "inspections.quiz.recorded",
            line,
            data={"person": person, "questions": score.questions, "correct": correct, "passed": passed},
            department_id=line.department_id,
        )
    return score


# --- results -------------------------------------------------------------------------------------
def _check_code(result_code) -> None:
    if result_code is None:
        raise DomainError(_("Choose a result."), field="result_code")
    if result_code.scheme != RESULT_SCHEME:
        raise DomainError(_("Use the standard result categories."), field="result_code")
    from fairspot.reference.models import ResultCode

    if ResultCode.objects.filter(scheme=RESULT_SCHEME, parent_code=result_code.code).exists():
        raise DomainError(
            _("“%(label)s” is a heading; choose the kind of rule broken.") % {"label": result_code.label},
            field="result_code",
        )


def result_enter(*, actor, line: VisitItem, version: int, result_code, remarks: str = "") -> VisitItem:
    """Enter (or re-enter after a return) the result of one item; it then awaits review."""
    require_record(actor, line.visit)
    _check_code(result_code)
    with transaction.atomic():
        line = _locked(line)
        _require_two_officers(line.visit)
        if line.visit.status == VisitStatus.REPLACED:
            raise DomainError(_("This visit was replaced by an alternate target."))
        if line.visit.inspection_date > timezone.localdate():
            raise DomainError(
                _("The inspection is planned for %(day)s: its result can be entered from that day on.")
                % {"day": line.visit.inspection_date.isoformat()}
            )
        if line.status in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
            raise DomainError(
                _(
                    "The result is already approved or published; a published result changes only "
                    "through a correction."
                )
            )
        before = {"result_code": line.result_code_id, "remarks": line.remarks, "status": line.status}
        line = _save_versioned(
            line,
            version,
            result_code=result_code,
            remarks=remarks.strip(),
            status=ResultStatus.ENTERED,
            entered_by=actor,
            entered_at=timezone.now(),
        )
        after = {"result_code": line.result_code_id, "remarks": line.remarks, "status": line.status}
        record(
            actor,
            "inspections.result.entered",
            line,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            data={"result": result_code.label, "version": line.version},
            department_id=line.department_id,
        )
    return line


def result_review(*, actor, line: VisitItem, version: int, approve: bool, opinion: str = "") -> VisitItem:
    require_manager(actor)
    with transaction.atomic():
        line = _locked(line)
        if not (actor.sees_all_departments or actor.department_id == line.department_id):
            raise PermissionDenied(_("This result belongs to another department."))
        if line.entered_by_id == actor.pk:
            raise DomainError(_("The person who entered a result does not review it."))
        if line.status != ResultStatus.ENTERED:
            raise DomainError(_("Only an entered result awaiting review can be reviewed."))
        opinion = opinion.strip()
        if not approve and not opinion:
            raise DomainError(_("Say why the result is returned."), field="opinion")
        status = ResultStatus.APPROVED if approve else ResultStatus.RETURNED
        line = _save_versioned(line, version, status=status, reviewed_by=actor, reviewed_at=timezone.now())
        Review.objects.create(
            line=line,
            decision=Review.Decision.APPROVED if approve else Review.Decision.RETURNED,
            opinion=opinion,
            reviewer=actor,
        )
        record(
            actor,
            "inspections.result.approved" if approve else "inspections.result.returned",
            line,
            changes={"status": [ResultStatus.ENTERED, status]},
            data={"opinion": opinion},
            department_id=line.department_id,
        )
    return line


def result_publish(*, actor, line: VisitItem, version: int) -> VisitItem:
    require_manager(actor)
    with transaction.atomic():
        line = _locked(line)
        if not (actor.sees_all_departments or actor.department_id == line.department_id):
            raise PermissionDenied(_("This result belongs to another department."))
        if line.status != ResultStatus.APPROVED:
            raise DomainError(_("Only an approved result is published."))
        if line.visit.status != VisitStatus.DONE or line.visit.end_date is None:
            raise DomainError(_("Record the end of the inspection before publishing its results."))
        line = _save_versioned(
            line, version, status=ResultStatus.PUBLISHED, published_by=actor, published_at=timezone.now()
        )
        record(
            actor,
            "inspections.result.published",
            line,
            changes={"status": [ResultStatus.APPROVED, ResultStatus.PUBLISHED]},
            data={
                "result": line.result_code.label,
                "deadline": line.visit.deadline,
                "late": bool(line.visit.deadline and timezone.localdate() > line.visit.deadline),
                "entered_by": line.entered_by.get_username() if line.entered_by else "",
            },
            department_id=line.department_id,
        )
    return line


def result_correct(*, actor, line: VisitItem, result_code, remarks: str, reason: str) -> ResultCorrection:
    """Correct a published result: a new, visible correction record; the published original stays."""
    require_manager(actor)
    _check_code(result_code)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the published result is corrected."), field="reason")
    with transaction.atomic():
        line = _locked(line)
        if not (actor.sees_all_departments or actor.department_id == line.department_id):
            raise PermissionDenied(_("This result belongs to another department."))
        if line.status != ResultStatus.PUBLISHED:
            raise DomainError(_("Only a published result is corrected; change an unpublished one directly."))
        before = line.current_code
        correction = ResultCorrection.objects.create(
            line=line, result_code=result_code, remarks=remarks.strip(), reason=reason, created_by=actor
        )
        VisitItem.objects.filter(pk=line.pk).update(version=F("version") + 1)
        record(
            actor,
            "inspections.result.corrected",
            line,
            changes={"result": [before.label if before else "", result_code.label]},
            data={"reason": reason, "correction": correction.pk},
            department_id=line.department_id,
        )
    return correction


# --- follow-up -----------------------------------------------------------------------------------
def followup_add(
    *,
    actor,
    line: VisitItem,
    disposition: str,
    note: str = "",
    correct_by: date | None = None,
    recheck_on: date | None = None,
    copied_to=None,
) -> FollowUp:
    require_manager(actor)
    if not (actor.sees_all_departments or actor.department_id == line.department_id):
        raise PermissionDenied(_("This result belongs to another department."))
    if disposition not in Disposition.values:
        raise DomainError(_("Unknown disposition."), field="disposition")
    if line.status not in (ResultStatus.APPROVED, ResultStatus.PUBLISHED):
        raise DomainError(_("Follow-up is recorded for an approved or published result."))
    if disposition == Disposition.CORRECT:
        if correct_by is None or recheck_on is None:
            raise DomainError(
                _("An order to correct needs a deadline and a re-check date."), field="correct_by"
            )
        if recheck_on < correct_by:
            raise DomainError(_("The re-check comes after the deadline to correct."), field="recheck_on")
    if disposition == Disposition.COPY and copied_to is None:
        raise DomainError(_("Name the department the result is copied to."), field="copied_to")
    if disposition in (Disposition.OTHER, Disposition.CASE, Disposition.JUDICIAL) and not note.strip():
        raise DomainError(_("Describe the follow-up."), field="note")
    with transaction.atomic():
        followup = FollowUp.objects.create(
            line=line,
            disposition=disposition,
            note=note.strip(),
            correct_by=correct_by,
            recheck_on=recheck_on,
            copied_to=copied_to,
            created_by=actor,
            closed=disposition == Disposition.NONE,
            closed_on=timezone.localdate() if disposition == Disposition.NONE else None,
        )
        record(
            actor,
            "inspections.followup.added",
            line,
            data={"followup": followup.pk, "disposition": disposition, "note": followup.note},
            department_id=line.department_id,
        )
    return followup


def followup_close(*, actor, followup: FollowUp, closed_on: date, note: str = "") -> FollowUp:
    require_manager(actor)
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().select_related("line").get(pk=followup.pk)
        line = followup.line
        if not (actor.sees_all_departments or actor.department_id == line.department_id):
            raise PermissionDenied(_("This result belongs to another department."))
        if followup.closed:
            raise DomainError(_("This follow-up is already closed."))
        if closed_on < timezone.localtime(followup.created_at).date() or closed_on > timezone.localdate():
            raise DomainError(_("The closing date lies between the follow-up and today."), field="closed_on")
        followup.closed, followup.closed_on, followup.closing_note = True, closed_on, note.strip()
        followup.save(update_fields=["closed", "closed_on", "closing_note"])
        record(
            actor,
            "inspections.followup.closed",
            line,
            changes={"closed": [False, True]},
            data={"followup": followup.pk, "closed_on": closed_on, "note": followup.closing_note},
            department_id=line.department_id,
        )
    return followup


# --- reminders -----------------------------------------------------------------------------------
def responsible_users(line: VisitItem) -> list[User]:
    """Who answers for a result: whoever entered it, the team's officers with accounts, and the
    administrators of the item's department."""
    users = {
        u.pk: u
        for u in User.objects.filter(
            Q(pk=line.entered_by_id)
            | Q(inspector__in=line.visit.members.all())
            | Q(role=Role.DEPT_ADMIN, department_id=line.department_id),
            is_active=True,
        )
    }
    return [users[k] for k in sorted(users)]


def send_reminders(*, today: date, within: int = 5) -> tuple[int, int, int]:
    """Remind the people responsible of every unpublished result whose deadline is at most ``within``
    working days away, or past: one in-app ``Reminder`` per person, result and day, and one e-mail per
    person (with an address) listing that day's reminders not yet e-mailed. A reminder is marked e-mailed
    only once its e-mail was sent; one whose e-mail failed goes out with the next run of the same day.
    Returns (reminders written, e-mails sent, e-mails that failed)."""
    horizon = add_working_days(today, within)
    lines = (
        VisitItem.objects.filter(visit__deadline__isnull=False, visit__deadline__lte=horizon)
        .exclude(status=ResultStatus.PUBLISHED)
        .exclude(visit__status=VisitStatus.REPLACED)
        .select_related("visit", "visit__target", "item")
        .order_by("visit__deadline", "pk")
    )
    unsent: dict[int, tuple[User, list[Reminder]]] = {}
    written = 0
    for line in lines:
        deadline = line.visit.deadline
        kind = Reminder.Kind.OVERDUE if deadline < today else Reminder.Kind.DUE
        for user in responsible_users(line):
            reminder, created = Reminder.objects.get_or_create(
                user=user, line=line, kind=kind, day=today, defaults={"deadline": deadline}
            )
            written += created
            if not reminder.emailed:
                unsent.setdefault(user.pk, (user, []))[1].append(reminder)
    mailed = failed = 0
    for user, reminders in unsent.values():
        if not user.email:
            continue
        overdue = sum(1 for r in reminders if r.kind == Reminder.Kind.OVERDUE)
        subject = _("Fairspot: %(due)s result(s) due soon, %(overdue)s overdue") % {
            "due": len(reminders) - overdue,
            "overdue": overdue,
        }
        body = "\n".join(
            _("%(kind)s · deadline %(deadline)s · %(target)s · %(item)s · %(status)s")
            % {
                "kind": r.get_kind_display(),
                "deadline": r.deadline.isoformat(),
                "target": r.line.visit.target.name,
                "item": f"{r.line.item.code} {r.line.item.name}",
                "status": r.line.get_status_display(),
            }
            for r in reminders
        )
        try:
            sent = send_mail(subject, body, None, [user.email])
        except Exception:  # one unreachable address or a mail server down must not stop the others
            logger.warning("reminder e-mail to user %s failed", user.pk, exc_info=True)
            sent = 0
        if not sent:
            failed += 1
            continue
        Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(emailed=True)
        mailed += 1
    return written, mailed, failed


def question_add(*, actor, item, code: str, text: str, answer: str = "", active: bool = True) -> Question:
    """Add a question to an item's bank (逢查必考); the item's department keeps its bank."""
    require_department(actor, item.department_id)
    code, text = code.strip(), text.strip()
    if not code or not text:
        raise DomainError(_("A question needs a number and a text."), field="text")
    if Question.objects.filter(item=item, code=code).exists():
        raise DomainError(_("The bank already has question %(code)s.") % {"code": code}, field="code")
    with transaction.atomic():
        question = Question.objects.create(
            item=item, code=code, text=text, answer=answer.strip(), active=active
        )
        record(
            actor,
            "inspections.question.added",
            question,
            data={"item": item.code, "code": code},
            department_id=item.department_id,
        )
    return question
