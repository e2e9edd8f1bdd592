"""The lead list as CSV/XLSX. Personal data are masked for anyone outside the handling department's
staff and the office, exactly as on the pages."""

from collections.abc import Iterable

from django.utils import timezone

from fairspot.cases.models import Lead
from fairspot.cases.privacy import personal_data

HEADER = [
    "线索编号",
    "来源",
    "受理日期",
    "承办部门",
    "状态",
    "无证无照经营",
    "统一社会信用代码",
    "检查对象",
    "当事人",
    "当事人地址",
    "当事人联系方式",
    "投诉举报人",
    "投诉举报人电话",
    "检查事项",
    "类别",
    "承办人",
    "处理结果类别",
    "处理结果",
    "办结时间",
    "专项检查任务",
]


def lead_rows(user, leads: Iterable[Lead]) -> Iterable[list]:
    for lead in leads:
        personal = personal_data(user, lead)
        yield [
            lead.number,
            lead.get_kind_display(),
            lead.received_on.isoformat(),
            lead.department.name,
            lead.get_status_display(),
            "是" if lead.unlicensed else "否",
            lead.target.identifier if lead.target_id else "",
            lead.target.name if lead.target_id else "",
            personal["party_name"],
            personal["party_address"],
            personal["party_contact"],
            personal["complainant_name"],
            personal["complainant_phone"],
            f"{lead.item.code} {lead.item.name}" if lead.item_id else "",
            lead.category,
            "；".join(i.name for i in lead.assignees.all()),
            lead.get_outcome_display() if lead.outcome else "",
            lead.result,
            f"{timezone.localtime(lead.closed_at):%Y-%m-%d %H:%M}" if lead.closed_at else "",
            "；".join(t.code for t in lead.special_tasks.all()),
        ]
