"""Open data in tests: the personal data and internal notes that must never leak, and a visit's result
published in one call."""

from fairspot.inspections import services
from fairspot.testing.inspections import END, enter

SECRET_DRAFT = "DRAFT-REMARK-未公开"
SECRET_OPINION = "REVIEW-OPINION-内部意见"
SECRET_FINDINGS = "FINDINGS-内部记录"
OWNER = "张三丰"
PHONE = "13812345678"
ID_CARD = "410702199001011234"


def publish(enterer, reviewer, visit, label="未发现问题", remarks=""):
    line = enter(enterer, visit.lines.get(), label, remarks)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    services.visit_finish(actor=enterer, visit=visit, end_date=END)
    return services.result_publish(actor=reviewer, line=line, version=line.version)
