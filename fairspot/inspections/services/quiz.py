"""The quiz of a visit item (逢查必考): questions drawn from the item's bank by the draw's seed, scores."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fairspot.accounts.scoping import require_department
from fairspot.audit.services import record
from fairspot.core.errors import DomainError
from fairspot.draw.canonical import tagged_hash
from fairspot.inspections.models import Question, QuizScore, VisitItem
from fairspot.inspections.services.approvals import require_approved
from fairspot.inspections.services.rules import require_record

QUIZ_TAG = "fairspot-quiz/1"
QUIZ_SIZE = settings.FAIRSPOT_QUIZ_SIZE
QUIZ_PASS_PERCENT = settings.FAIRSPOT_QUIZ_PASS_PERCENT


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
    require_approved(line.visit)
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
