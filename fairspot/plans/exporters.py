"""Exports of the plan list and of the district's annual plan (CSV / XLSX)."""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet

from fairspot.plans.models import Plan, PlanKind, PlanStatus, ScopeKind
from fairspot.plans.selectors import DistrictEntry
from fairspot.plans.versioning import ratio_text

KIND_LABELS = {PlanKind.DEPARTMENT: "部门抽查", PlanKind.JOINT: "部门联合抽查"}
SCOPE_LABELS = {ScopeKind.DIRECTED: "定向", ScopeKind.UNDIRECTED: "不定向"}
STATUS_LABELS = {
    PlanStatus.DRAFT: "草稿",
    PlanStatus.SUBMITTED: "已提交待审核",
    PlanStatus.APPROVED: "已审核通过",
    PlanStatus.PUBLISHED: "已公布",
}
TYPE_LABELS = {"key": "重点", "general": "一般"}

PLAN_HEADER = [
    "年度",
    "计划编号",
    "计划名称",
    "计划类型",
    "抽查类型",
    "牵头部门",
    "参与部门",
    "状态",
    "版本",
    "检查事项及比例",
    "批次",
    "检查对象范围",
    "公布时间",
]

DISTRICT_HEADER = [
    "年度",
    "牵头部门",
    "计划编号",
    "计划名称",
    "计划类型",
    "抽查类型",
    "参与部门",
    "版本",
    "状态",
    "事项所属部门",
    "事项编码",
    "事项名称",
    "事项类别",
    "抽查比例",
    "比例上限",
    "批次",
    "检查对象范围",
]


def _batch_text(batches: Iterable[dict]) -> str:
    return "；".join(f"{b['name']} {b['start_date']}至{b['end_date']}" for b in batches)


def plan_rows(qs: QuerySet[Plan]) -> Iterator[list]:
    plans = qs.select_related("department").prefetch_related(
        "participating_departments", "items__item", "batches"
    )
    for plan in plans:
        yield [
            plan.year,
            plan.code,
            plan.title,
            KIND_LABELS[plan.kind],
            SCOPE_LABELS[plan.scope_kind],
            plan.department.name,
            "；".join(d.name for d in plan.participating_departments.all()),
            STATUS_LABELS[plan.status],
            plan.version,
            "；".join(f"{pi.item.code} {pi.item.name} {ratio_text(pi.ratio)}" for pi in plan.items.all()),
            _batch_text(
                {"name": b.name, "start_date": b.start_date, "end_date": b.end_date}
                for b in plan.batches.all()
            ),
            plan.target_scope,
            plan.published_at.date().isoformat() if plan.published_at else "",
        ]


def district_rows(entries: Iterable[DistrictEntry]) -> Iterator[list]:
    """One row per item of each plan in force; the plan's columns repeat."""
    for entry in entries:
        c = entry.content
        status = "已公布" if entry.published else "已审核通过"
        if entry.adjusting:
            status += f"（第{entry.plan.version}版调整中）"
        head = [
            c["year"],
            c["department"]["name"],
            c["code"],
            c["title"],
            KIND_LABELS.get(c["kind"], c["kind"]),
            SCOPE_LABELS.get(c["scope_kind"], c["scope_kind"]),
            "；".join(d["name"] for d in c["participating_departments"]),
            entry.version.version,
            status,
        ]
        tail = [_batch_text(c["batches"]), c["target_scope"]]
        for item in c["items"]:
            yield [
                *head,
                item["department_name"],
                item["code"],
                item["name"],
                TYPE_LABELS.get(item["item_type"], item["item_type"]),
                Decimal(item["ratio"]),
                Decimal(item["ratio_cap"]) if item["ratio_cap"] else "",
                *tail,
            ]
