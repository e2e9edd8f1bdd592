"""The suite's shared pytest fixtures, registered by ``pytest_plugins`` in the root ``conftest.py``.

Request them by name; a ``conftest.py`` or a test module closer to the test may override one.

- people: two departments (market is the joint-meeting office), the office, department
  administrators and an inspector;
- draws: a district (60 targets in two townships, 6 inspectors, one general item), a second officer,
  a per-test MEDIA_ROOT (``media``; the draws, inspections, portal and open-data tests use it for
  every test through an autouse fixture in their ``conftest.py``);
- inspections: a revealed draw of the district with its visits, a visit's line, an officer of the
  visit's team and a reviewer;
- browser: the demo district served live and a chromium page (end-to-end tests).
"""

import os
import shutil
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from fairspot.accounts.models import Department, Role, User
from fairspot.directory.models import Target
from fairspot.inspections import services as inspection_services
from fairspot.inspectors.models import Inspector
from fairspot.items.models import CheckItem
from fairspot.testing.browser import CHROMIUM
from fairspot.testing.directory import uscc
from fairspot.testing.inspections import approve, reveal

# --- people ---------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _language_reset():
    """Every test starts in the settings' language: a test that activates Chinese (to read a page as
    officers do) cannot leak it into the next one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def departments(db):
    market = Department.objects.create(
        code="SCJG", name="高新区市场监管工作小组", short_name="市场监管", is_office=True
    )
    fire = Department.objects.create(code="XFJY", name="高新区消防救援大队", short_name="消防")
    return {"market": market, "fire": fire}


@pytest.fixture
def office(departments):
    return User.objects.create_user(
        "office", password="pw", role=Role.OFFICE, department=departments["market"]
    )


@pytest.fixture
def market_admin(departments):
    return User.objects.create_user(
        "market", password="pw", role=Role.DEPT_ADMIN, department=departments["market"]
    )


@pytest.fixture
def fire_admin(departments):
    return User.objects.create_user(
        "fire", password="pw", role=Role.DEPT_ADMIN, department=departments["fire"]
    )


@pytest.fixture
def market_inspector(departments):
    return User.objects.create_user(
        "insp", password="pw", role=Role.INSPECTOR, department=departments["market"]
    )


# --- draws ----------------------------------------------------------------------------------------


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def colleague(departments):
    return User.objects.create_user(
        "market2", password="pw", role=Role.DEPT_ADMIN, department=departments["market"]
    )


@pytest.fixture
def district(departments):
    """60 targets in two townships, 6 certified inspectors, one general item."""
    item = CheckItem.objects.create(
        department=departments["market"],
        code="A01",
        name="公示信息",
        item_type="general",
        default_ratio=Decimal("0.03"),
        ratio_cap=Decimal("0.5"),
        effective_from=date(2026, 1, 1),
    )
    towns = ["410771560", "410771360"]
    for n in range(60):
        Target.objects.create(
            identifier=uscc(),
            name=f"企业{n}",
            entity_type="enterprise",
            industry_code="38",
            industry_section="C",
            township_id=towns[n % 2],
            department=departments["market"],
            status="cancelled" if n == 0 else "active",
        )
    for n in range(6):
        Inspector.objects.create(
            department=departments["market"],
            staff_no=f"SCJG-{n:03d}",
            name=f"检查员{n}",
            certificate_no=f"Z{n}",
            certificate_expiry=date(2030, 1, 1),
            posted_township_id=towns[n % 2],
            residence_township_id=towns[n % 2],
        )
    return item


# --- inspections ----------------------------------------------------------------------------------


@pytest.fixture
def item(district):
    district.checklist = "是否按时报送年度报告\n公示信息是否真实"
    district.methods = "1,2"
    district.save()
    return district


@pytest.fixture
def draw(market_admin, colleague, item):
    return reveal(market_admin, colleague, item)


@pytest.fixture
def visits(market_admin, draw):
    """The draw's visits, their checks approved (检查审批) so that field work may start."""
    approve(market_admin, draw)
    return inspection_services.visits_create_for_draw(actor=market_admin, draw=draw)


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


# --- browser --------------------------------------------------------------------------------------


@pytest.fixture
def browser_page(live_server, settings, tmp_path):
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FAIRSPOT_VAR_DIR = tmp_path
    # the browser meets the production default, Chinese (the browser's own language is ignored)
    settings.LANGUAGE_CODE = "zh-hans"
    call_command("seed_demo", "--targets", "300", verbosity=0)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page, live_server.url
        browser.close()
