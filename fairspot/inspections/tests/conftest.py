"""Fixtures: a revealed draw of the draws app's test district (inspection date 2025-09-22), its visits."""

from datetime import date

import pytest

from fairspot.accounts.models import Role, User
from fairspot.draws import services as draw_services
from fairspot.draws.tests.test_workflow import (  # noqa: F401 - fixtures re-exported
    CEREMONY,
    colleague,
    confirm,
    district,
    make_task,
    media,
)
from fairspot.inspections import services
from fairspot.inspectors.models import Inspector

DAY = date(2025, 9, 22)


def reveal(admin, second, item, code="T-1", **kw):
    kw.setdefault("inspection_date", DAY)
    task = make_task(admin, item, code=code, **kw)
    draw = draw_services.draw_commit(actor=admin, task=task, sources=[CEREMONY])
    confirm(draw, admin, second)
    return draw_services.draw_reveal(actor=admin, draw=draw)


@pytest.fixture
def item(district):  # noqa: F811
    district.checklist = "是否按时报送年度报告\n公示信息是否真实"
    district.methods = "1,2"
    district.save()
    return district


@pytest.fixture
def draw(market_admin, colleague, item):  # noqa: F811
    return reveal(market_admin, colleague, item)


@pytest.fixture
def visits(market_admin, draw):
    return services.visits_create_for_draw(actor=market_admin, draw=draw)


@pytest.fixture
def visit(visits):
    return visits[0]


@pytest.fixture
def line(visit):
    return visit.lines.get()


@pytest.fixture
def officer(visit, departments):
    """A user who is an officer of the visit's team."""
    user = User.objects.create_user(
        "officer", password="pw", role=Role.INSPECTOR, department=departments["market"]
    )
    Inspector.objects.filter(pk=visit.members.exclude(pk=visit.leader_id).first().pk).update(user=user)
    return user


@pytest.fixture
def reviewer(departments):
    return User.objects.create_user(
        "reviewer",
        password="pw",
        role=Role.DEPT_ADMIN,
        department=departments["market"],
        email="r@example.org",
    )
