"""Fixtures: the inspections app's test district, with results in every state.

- ``published``: three published results — an enterprise, an individual business (个体工商户) whose
  operator's name, phone and ID-card number appear in the remarks, and a corrected one;
- an entered-but-unpublished draft and a returned result with a review opinion;
- the targets carry credit-risk classes and the teams are named inspectors: none of it may leak.
"""

from datetime import date

import pytest

from fairspot.draws.tests.test_workflow import colleague, district, media  # noqa: F401
from fairspot.inspections import services
from fairspot.inspections.tests.conftest import draw, item, visits  # noqa: F401
from fairspot.reference.models import ResultCode

END = date(2025, 9, 26)
SECRET_DRAFT = "DRAFT-REMARK-未公开"
SECRET_OPINION = "REVIEW-OPINION-内部意见"
SECRET_FINDINGS = "FINDINGS-内部记录"
OWNER = "张三丰"
PHONE = "13812345678"
ID_CARD = "410702199001011234"


def code(label):
    return ResultCode.objects.get(scheme="2017双随机", label=label)


def enter(actor, line, label="未发现问题", remarks=""):
    line.refresh_from_db()
    return services.result_enter(
        actor=actor, line=line, version=line.version, result_code=code(label), remarks=remarks
    )


def publish(enterer, reviewer, visit, label="未发现问题", remarks=""):
    line = enter(enterer, visit.lines.get(), label, remarks)
    line = services.result_review(actor=reviewer, line=line, version=line.version, approve=True)
    services.visit_finish(actor=enterer, visit=visit, end_date=END)
    return services.result_publish(actor=reviewer, line=line, version=line.version)


@pytest.fixture
def reviewer(departments):
    from fairspot.accounts.models import Role, User

    return User.objects.create_user(
        "reviewer", password="pw", role=Role.DEPT_ADMIN, department=departments["market"]
    )


@pytest.fixture(autouse=True)
def sync_always(settings):
    settings.FAIRSPOT_OPENDATA_SYNC_SECONDS = 0


@pytest.fixture
def world(market_admin, reviewer, visits):  # noqa: F811
    """Published, corrected, draft and returned results; returns the lines by role."""
    for n, visit in enumerate(visits[:5]):
        target = visit.target
        target.risk_class = "D"
        target.legal_representative = f"李{n}明"
        if n == 1:
            target.entity_type = "individual"
            target.name = f"高新区{OWNER}便利店"
            target.legal_representative = OWNER
        target.save()
    enterprise = publish(market_admin, reviewer, visits[0], remarks="已按时报送")
    individual = publish(
        market_admin,
        reviewer,
        visits[1],
        label="发现问题经责令已改正",
        remarks=f"经营者{OWNER}当场改正，电话{PHONE}，身份证{ID_CARD}",
    )
    corrected = publish(market_admin, reviewer, visits[2], remarks="原备注")
    services.result_correct(
        actor=reviewer,
        line=corrected,
        result_code=code("发现问题经责令已改正"),
        remarks="更正后的备注",
        reason="录入错误",
    )
    draft_line = visits[3].lines.get()
    services.record_save(
        actor=market_admin,
        line=draft_line,
        version=draft_line.version,
        method_code="1",
        answers=[{"answer": "yes", "note": ""}, {"answer": "no", "note": SECRET_FINDINGS}],
        findings=SECRET_FINDINGS,
        confirmed_by=list(visits[3].members.all()),
    )
    draft = enter(market_admin, draft_line, remarks=SECRET_DRAFT)
    returned = enter(market_admin, visits[4].lines.get(), remarks=SECRET_DRAFT)
    services.result_review(
        actor=reviewer, line=returned, version=returned.version, approve=False, opinion=SECRET_OPINION
    )
    return {
        "enterprise": enterprise,
        "individual": individual,
        "corrected": corrected,
        "draft": draft,
        "returned": returned,
        "visits": visits,
    }
