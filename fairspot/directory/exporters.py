"""Export of the target list in the import format (what an import reads back unchanged)."""

from collections.abc import Iterator

from django.db.models import QuerySet

from fairspot.directory.columns import TARGET_EXPORT_HEADER
from fairspot.directory.models import EntityType, RegistrationStatus, SpecialLibrary
from fairspot.reference.selectors import region_lookup

ENTITY_LABELS = {
    EntityType.ENTERPRISE: "企业",
    EntityType.INDIVIDUAL: "个体工商户",
    EntityType.COOPERATIVE: "农民专业合作社",
    EntityType.OTHER_ORG: "其他组织",
    EntityType.PRODUCT: "产品",
    EntityType.PROJECT: "项目",
    EntityType.BEHAVIOUR: "行为",
}
STATUS_LABELS = {
    RegistrationStatus.ACTIVE: "存续",
    RegistrationStatus.CANCELLED: "注销",
    RegistrationStatus.REVOKED: "吊销",
    RegistrationStatus.WITHDRAWN: "撤销",
    RegistrationStatus.MOVED_OUT: "迁出",
}


def _region_label(township: str | None, community: str | None, names: dict[str, str]) -> str:
    code = community or township
    if not code:
        return ""
    name = names.get(code, "")
    # a name only when it leads back to the same division; otherwise the code
    return name if name and region_lookup().get(name) == (township, community) else code


def target_rows(qs: QuerySet) -> Iterator[list[str]]:
    from fairspot.reference.models import Division

    names = dict(Division.objects.values_list("code", "name"))
    library_names = dict(SpecialLibrary.objects.values_list("id", "name"))
    through = SpecialLibrary.targets.through
    memberships: dict[int, list[str]] = {}
    for target_id, lib_id in through.objects.filter(target__in=qs.values("id")).values_list(
        "target_id", "speciallibrary_id"
    ):
        memberships.setdefault(target_id, []).append(library_names[lib_id])
    fields = (
        "id",
        "identifier",
        "name",
        "entity_type",
        "industry_code",
        "township_id",
        "community_id",
        "registration_authority",
        "address",
        "legal_representative",
        "status",
        "established_on",
        "risk_class",
        "abnormal",
        "tags",
        "department__name",
    )
    for row in qs.order_by("identifier").values_list(*fields).iterator(chunk_size=5000):
        (
            pk,
            ident,
            name,
            etype,
            industry,
            town,
            comm,
            auth,
            addr,
            legal,
            status,
            est,
            risk,
            abn,
            tags,
            dept,
        ) = row
        yield [
            ident,
            name,
            ENTITY_LABELS.get(etype, etype),
            industry,
            _region_label(town, comm, names),
            auth,
            addr,
            legal,
            STATUS_LABELS.get(status, status),
            est.isoformat() if est else "",
            risk,
            "是" if abn else "否",
            tags,
            "；".join(sorted(memberships.get(pk, []))),
            dept,
        ]


def export_header() -> list[str]:
    return list(TARGET_EXPORT_HEADER)
