"""The task ledger as XLSX/CSV: one row per item, with its timetable and latest progress."""

from collections.abc import Iterable
from datetime import date

from fairspot.council.models import LedgerItem

HEADER = [
    "会议",
    "议定事项",
    "责任单位",
    "工作任务",
    "责任人",
    "联系电话",
    "完成时限",
    "倒排时间表",
    "状态",
    "是否逾期",
    "完成日期",
    "最新进展",
]


def ledger_rows(items: Iterable[LedgerItem], today: date) -> Iterable[list]:
    for item in items:
        timetable = "；".join(
            f"{m.get_stage_display()} {m.due_date.isoformat()}{' ✓' if m.done_on else ''}"
            for m in item.milestones.all()
        )
        notes = list(item.notes.all())
        yield [
            item.decision.meeting.title,
            f"{item.decision.number}. {item.decision.text}",
            item.department.name,
            item.task,
            item.owner,
            item.owner_phone,
            item.due_date.isoformat(),
            timetable,
            item.get_status_display(),
            "是" if item.is_overdue(today) else "否",
            item.done_on.isoformat() if item.done_on else "",
            notes[-1].text if notes else "",
        ]
