"""Fixtures: the inspections app's test district, with results in every state.

- ``published``: three published results — an enterprise, an individual business (个体工商户) whose
  operator's name, phone and ID-card number appear in the remarks, and a corrected one;
- an entered-but-unpublished draft and a returned result with a review opinion;
- the targets carry credit-risk classes and the teams are named inspectors: none of it may leak.
"""

import pytest

from fairspot.inspections import services
from fairspot.testing.inspections import code, enter
from fairspot.testing.opendata import (
    ID_CARD,
    OWNER,
    PHONE,
    SECRET_DRAFT,
    SECRET_FINDINGS,
    SECRET_OPINION,
    publish,
)


@pytest.fixture(autouse=True)
def _media(media):
    """The shared ``media`` fixture (fairspot.testing.fixtures), for every test here."""


@pytest.fixture
def reviewer(departments):
    """The shared ``reviewer``, but without an e-mail address."""
    from fairspot.accounts.models import Role, User

    return User.objects.create_user(
        "reviewer", password="pw", role=Role.DEPT_ADMIN, department=departments["market"]
    )


@pytest.fixture(autouse=True)
def sync_always(settings):
    settings.FAIRSPOT_OPENDATA_SYNC_SECONDS = 0


@pytest.fixture
def world(market_admin, reviewer, visits):
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
