"""The columns of the open data: one list for the API, the CSV/XLSX downloads and the docs, and the
national enterprise credit publicity system's result fields (国家企业信用信息公示系统 抽查检查结果)."""

from __future__ import annotations

from django.utils import timezone

# (column, how it is read from a PublishedResult); the API's field names and the CSV header
OPEN_FIELDS = [
    ("id", lambda r: r.source_id),
    ("target_identifier", lambda r: r.target_identifier),
    ("target_name", lambda r: r.target_name),
    ("entity_type", lambda r: r.entity_type),
    ("legal_representative", lambda r: r.legal_representative),
    ("item_code", lambda r: r.item_code),
    ("item_name", lambda r: r.item_name),
    ("department", lambda r: r.department),
    ("authority", lambda r: r.authority),
    ("plan_code", lambda r: r.plan_code),
    ("plan_title", lambda r: r.plan_title),
    ("task_code", lambda r: r.task_code),
    ("task_title", lambda r: r.task_title),
    ("inspection_type", lambda r: r.inspection_type),
    ("inspection_date", lambda r: r.inspection_date),
    ("completion_date", lambda r: r.completion_date),
    ("result_code", lambda r: r.result_code),
    ("result_label", lambda r: r.result_label),
    ("remarks", lambda r: r.remarks),
    ("corrected", lambda r: r.corrected),
    ("published_at", lambda r: timezone.localtime(r.published_at)),
    ("updated_at", lambda r: timezone.localtime(r.updated_at)),
]


def _day(value):
    return timezone.localtime(value).date() if value else None


# the national publicity system's result notice: fixed Chinese column names (an interchange format)
NATIONAL_FIELDS = [
    ("统一社会信用代码", lambda r: r.target_identifier),
    ("企业名称", lambda r: r.target_name),
    ("抽查计划编号", lambda r: r.plan_code),
    ("抽查计划名称", lambda r: r.plan_title),
    ("抽查任务编号", lambda r: r.task_code),
    ("抽查任务名称", lambda r: r.task_title),
    ("检查实施机关", lambda r: r.authority),
    ("抽查类型", lambda r: r.inspection_type),
    ("抽查日期", lambda r: r.inspection_date),
    ("检查事项", lambda r: r.item_name),
    ("检查结果", lambda r: r.result_label),
    ("备注", lambda r: r.remarks),
    ("完成日期", lambda r: r.completion_date),
    ("公示日期", lambda r: _day(r.published_at)),
]


def header(fields) -> list[str]:
    return [name for name, _ in fields]


def values(fields, row) -> list:
    return [read(row) for _, read in fields]
