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

The modules: ``rules`` (who may record, review), ``lines`` (locking and versioned saves of a visit
item), ``visits``, ``records``, ``attachments`` (evidence files), ``quiz``, ``results`` (enter,
review), ``publication`` (publish, correct), ``withholding`` (不予公示), ``objections`` (异议), ``display``
(display periods, credit repair 信用修复), ``followup``, ``reminders`` (e-mail). The public names
are re-exported here: ``from fairspot.inspections import services`` keeps working. A test that
replaces a module-level name (``ATTACHMENT_MAX_BYTES``) patches the module that uses it.
"""

from fairspot.inspections.services.approvals import (
    case_check_approve,
    draw_approve,
    is_approved,
    require_approved,
    suggested_basis,
    unapproved_draws,
)
from fairspot.inspections.services.attachments import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    attachment_add,
    attachments_root,
    detect_content_type,
)
from fairspot.inspections.services.display import (
    display_until,
    end_expired_displays,
    repair_apply,
    repair_decide,
    rule_of,
)
from fairspot.inspections.services.firm import (
    WITHDRAWAL_WORKING_DAYS,
    CheckState,
    can_decide_withdrawal,
    check_state,
    feedback_give,
    withdrawal_decide,
    withdrawal_request,
)
from fairspot.inspections.services.followup import followup_add, followup_close
from fairspot.inspections.services.objections import objection_answer, objection_deadline, objection_file
from fairspot.inspections.services.publication import result_correct, result_publish
from fairspot.inspections.services.quiz import (
    QUIZ_PASS_PERCENT,
    QUIZ_SIZE,
    QUIZ_TAG,
    question_add,
    quiz_key,
    quiz_questions,
    quiz_record,
)
from fairspot.inspections.services.records import ANSWERS, record_save
from fairspot.inspections.services.reminders import responsible_users, send_reminders
from fairspot.inspections.services.results import result_enter, result_review
from fairspot.inspections.services.rules import (
    can_record,
    can_review,
    is_team_member,
    manages_line,
    require_line_department,
    require_record,
    visit_department_ids,
)
from fairspot.inspections.services.visits import (
    DEADLINE_WORKING_DAYS,
    publication_deadline,
    visit_finish,
    visit_replace_target,
    visits_create_for_draw,
)
from fairspot.inspections.services.withholding import (
    can_decide_withholding,
    withhold_decide,
    withhold_request,
)

__all__ = [
    "ANSWERS",
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "DEADLINE_WORKING_DAYS",
    "QUIZ_PASS_PERCENT",
    "QUIZ_SIZE",
    "QUIZ_TAG",
    "WITHDRAWAL_WORKING_DAYS",
    "CheckState",
    "attachment_add",
    "attachments_root",
    "can_decide_withdrawal",
    "can_decide_withholding",
    "can_record",
    "can_review",
    "case_check_approve",
    "check_state",
    "detect_content_type",
    "display_until",
    "draw_approve",
    "end_expired_displays",
    "feedback_give",
    "followup_add",
    "followup_close",
    "is_approved",
    "is_team_member",
    "manages_line",
    "objection_answer",
    "objection_deadline",
    "objection_file",
    "publication_deadline",
    "question_add",
    "quiz_key",
    "quiz_questions",
    "quiz_record",
    "record_save",
    "repair_apply",
    "repair_decide",
    "require_approved",
    "require_line_department",
    "require_record",
    "responsible_users",
    "result_correct",
    "result_enter",
    "result_publish",
    "result_review",
    "rule_of",
    "send_reminders",
    "suggested_basis",
    "unapproved_draws",
    "visit_department_ids",
    "visit_finish",
    "visit_replace_target",
    "visits_create_for_draw",
    "withdrawal_decide",
    "withdrawal_request",
    "withhold_decide",
    "withhold_request",
]
