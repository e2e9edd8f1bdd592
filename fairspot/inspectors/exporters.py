"""Export of inspectors and experts in the import format."""

from collections.abc import Iterator

from django.db.models import QuerySet

from fairspot.inspectors.columns import INSPECTOR_EXPORT_HEADER
from fairspot.inspectors.models import Expert, Inspector, PersonStatus
from fairspot.reference.models import Division

STATUS_LABELS = {PersonStatus.ACTIVE: "在岗", PersonStatus.SUSPENDED: "停用", PersonStatus.LEFT: "离岗"}


def export_header() -> list[str]:
    return list(INSPECTOR_EXPORT_HEADER)


def inspector_rows(qs: QuerySet[Inspector]) -> Iterator[list[str]]:
    names = dict(Division.objects.filter(level="乡级").values_list("code", "name"))
    for insp in qs.select_related("department").prefetch_related("items__department").order_by("staff_no"):
        codes = sorted(f"{i.department.code}/{i.code}" for i in insp.items.all())
        yield [
            insp.staff_no,
            insp.name,
            insp.department.name,
            insp.certificate_no,
            insp.certificate_expiry.isoformat() if insp.certificate_expiry else "",
            insp.qualifications,
            insp.expertise,
            "；".join(codes),
            names.get(insp.posted_township_id or "", ""),
            names.get(insp.residence_township_id or "", ""),
            insp.phone,
            STATUS_LABELS.get(insp.status, insp.status),
        ]


EXPERT_HEADER = [
    "姓名",
    "所属单位",
    "单位类型",
    "专业领域",
    "职称",
    "联系电话",
    "电子邮箱",
    "管理部门",
    "状态",
]


def expert_rows(qs: QuerySet[Expert]) -> Iterator[list[str]]:
    for e in qs.select_related("department").order_by("name"):
        yield [
            e.name,
            e.organisation,
            e.get_organisation_type_display(),
            e.expertise,
            e.title,
            e.phone,
            e.email,
            e.department.name,
            STATUS_LABELS.get(e.status, e.status),
        ]
