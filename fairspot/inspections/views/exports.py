"""The columns of the spreadsheet exports of the visit list and the due list."""

from __future__ import annotations

VISIT_HEADER = [
    "统一社会信用代码",
    "检查对象",
    "检查日期",
    "结束日期",
    "公示期限",
    "期限暂定",
    "部门",
    "组长",
    "检查人员",
    "状态",
]

DUE_HEADER = [
    "部门",
    "统一社会信用代码",
    "检查对象",
    "事项",
    "检查日期",
    "结束日期",
    "公示期限",
    "期限暂定",
    "状态",
    "是否逾期",
]


def visit_row(v) -> list:
    return [
        v.target.identifier,
        v.target.name,
        v.inspection_date,
        v.end_date or "",
        v.deadline or "",
        "暂定" if v.deadline_provisional else "",
        "；".join(d.short_name or d.name for d in v.departments.all()),
        v.leader.name,
        "；".join(m.name for m in v.members.all()),
        v.get_status_display(),
    ]


def due_row(line, today) -> list:
    return [
        line.department.name,
        line.visit.target.identifier,
        line.visit.target.name,
        f"{line.item.code} {line.item.name}",
        line.visit.inspection_date,
        line.visit.end_date or "",
        line.visit.deadline,
        "暂定" if line.visit.deadline_provisional else "",
        line.get_status_display(),
        "逾期" if line.visit.deadline < today else "",
    ]
