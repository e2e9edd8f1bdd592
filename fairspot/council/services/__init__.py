"""Writes of the joint meeting; every public name of the modules by topic is importable from here."""

from fairspot.council.services.evidence import evidence_add
from fairspot.council.services.ledger import item_create, item_progress, item_supervise, milestone_done
from fairspot.council.services.meetings import (
    attendance_record,
    meeting_hold,
    meeting_schedule,
    plenary_schedule,
    report_submit,
    special_consent,
    special_request,
    topic_decide,
    topic_submit,
)
from fairspot.council.services.members import change_decide, change_propose, composition_establish
from fairspot.council.services.minutes import decision_add, minutes_approve, minutes_draft, minutes_publish
from fairspot.council.services.reminders import send_reminders

__all__ = [
    "attendance_record",
    "change_decide",
    "change_propose",
    "composition_establish",
    "decision_add",
    "evidence_add",
    "item_create",
    "item_progress",
    "item_supervise",
    "meeting_hold",
    "meeting_schedule",
    "milestone_done",
    "minutes_approve",
    "minutes_draft",
    "minutes_publish",
    "plenary_schedule",
    "report_submit",
    "send_reminders",
    "special_consent",
    "special_request",
    "topic_decide",
    "topic_submit",
]
