from fairspot.lib.columns import Column

ITEM_COLUMNS = (
    Column("department", ("所属部门", "department")),
    Column("code", ("事项编码", "code"), required=True),
    Column("name", ("事项名称", "name"), required=True),
    Column("item_type", ("事项类别", "item_type"), required=True),
    Column("category", ("抽查类别", "category")),
    Column("legal_basis", ("检查依据", "legal_basis")),
    Column("implementing_body", ("实施主体", "implementing_body")),
    Column("target_scope", ("检查对象", "target_scope")),
    Column("target_entity_types", ("适用主体类型", "target_entity_types")),
    Column("target_industries", ("适用行业", "target_industries")),
    Column("target_library", ("专项库", "target_library")),
    Column("content", ("检查内容", "content")),
    Column("checklist", ("检查要点", "checklist")),
    Column("methods", ("检查方式", "methods")),
    Column("default_ratio", ("默认比例", "default_ratio"), required=True),
    Column("ratio_cap", ("比例上限", "ratio_cap")),
    Column("participating_departments", ("参与部门", "participating_departments")),
    Column("frequency", ("检查频次", "frequency")),
    Column("repeat_window_days", ("重复检查间隔天数", "repeat_window_days")),
    Column("team_size", ("每组人数", "team_size")),
    Column("required_qualification", ("所需资格", "required_qualification")),
    Column("published", ("已公开", "published")),
    Column("effective_from", ("生效日期", "effective_from")),
    Column("reason", ("变更原因", "reason")),
)
ITEM_EXPORT_HEADER = [c.labels[0] for c in ITEM_COLUMNS]
