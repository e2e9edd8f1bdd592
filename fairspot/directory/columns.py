"""Columns of the target list, as imports read them and exports write them (Chinese or English headers)."""

from fairspot.lib.columns import Column

TARGET_COLUMNS = (
    Column("identifier", ("统一社会信用代码", "uscc", "标识码", "identifier"), required=True),
    Column("name", ("名称", "name"), required=True),
    Column("entity_type", ("主体类型", "企业类型", "市场主体类型", "entity_type")),
    Column("industry", ("行业代码", "industry")),
    Column("region", ("所属区域", "region")),
    Column("registration_authority", ("登记机关", "registration_authority")),
    Column("address", ("住所", "address")),
    Column("legal_representative", ("法定代表人", "legal_representative")),
    Column("status", ("登记状态", "status")),
    Column("established_on", ("成立日期", "established_on")),
    Column("risk_class", ("信用风险分类", "risk_class")),
    Column("abnormal", ("经营异常", "abnormal")),
    Column("tags", ("标签", "tags")),
    Column("libraries", ("专项库", "libraries")),
    Column("department", ("维护部门", "department")),
)

# Export header: the first (Chinese) label of each column, in this order.
TARGET_EXPORT_HEADER = [c.labels[0] for c in TARGET_COLUMNS]
