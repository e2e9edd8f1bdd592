from fairspot.lib.columns import Column

INSPECTOR_COLUMNS = (
    Column("staff_no", ("工号", "staff_no"), required=True),
    Column("name", ("姓名", "name"), required=True),
    Column("department", ("所属部门", "department")),
    Column("certificate_no", ("执法证号", "certificate_no")),
    Column("certificate_expiry", ("执法证有效期至", "certificate_expiry")),
    Column("qualifications", ("资格类型", "qualifications")),
    Column("expertise", ("专业特长", "expertise")),
    Column("items", ("可执行事项", "items")),
    Column("posted_township", ("驻地乡镇", "posted_township")),
    Column("residence_township", ("居住乡镇", "residence_township")),
    Column("phone", ("联系电话", "phone")),
    Column("status", ("状态", "status")),
)
INSPECTOR_EXPORT_HEADER = [c.labels[0] for c in INSPECTOR_COLUMNS]
