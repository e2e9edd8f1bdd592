"""Columns of the credit room's imports (Chinese or English headers)."""

from fairspot.lib.columns import Column

CLASS_COLUMNS = (
    Column("identifier", ("统一社会信用代码", "uscc", "identifier"), required=True),
    Column("risk_class", ("信用风险分类", "风险分类", "risk_class"), required=True),
    Column("classified_on", ("分类日期", "classified_on"), required=True),
    Column("source", ("来源", "数据来源", "source"), required=True),
)
REPORT_COLUMNS = (
    Column("identifier", ("统一社会信用代码", "uscc", "identifier"), required=True),
    Column("year", ("年度", "year"), required=True),
    Column("status", ("年报情况", "status"), required=True),
)
