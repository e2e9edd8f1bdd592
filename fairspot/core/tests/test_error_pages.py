"""Error pages speak the user's language and say why and what to do (no bare English Django page)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_403_shows_the_reason_in_chinese(client, market_inspector):
    client.force_login(market_inspector)
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    response = client.get(reverse("hub:import_start", args=["targets"]))
    page = response.content.decode()
    translation.activate("en")
    assert response.status_code == 403
    assert "您无权进行此操作" in page and "您的角色无权修改记录" in page
    assert "返回工作台" in page and "未作任何更改" in page


def test_404_in_chinese_with_a_way_back(client, market_admin):
    client.force_login(market_admin)
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    response = client.get("/directory/999999999/")
    page = response.content.decode()
    translation.activate("en")
    assert response.status_code == 404 and "页面不存在" in page and reverse("hub:dashboard") in page


def test_500_page_is_self_contained_and_in_the_users_language(settings):
    settings.DEBUG = False
    from django.template.loader import render_to_string

    with translation.override("zh-hans"):
        html = render_to_string("500.html")  # no context: Django renders it so
    assert "系统出错" in html and "返回工作台" in html and "{%" not in html


def test_grouped_menu_shows_imports_only_to_managers(client, market_admin, market_inspector):
    client.force_login(market_admin)
    assert reverse("hub:imports") in client.get(reverse("hub:dashboard")).content.decode()
    other = Client()
    other.force_login(market_inspector)
    page = other.get(reverse("directory:list")).content.decode()
    assert 'class="menu"' in page and reverse("hub:imports") not in page
    assert reverse("plans:list") in page  # the annual plans are in the menu now


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("directory:create", "只有部门管理员和联席会议办公室可以向名录库添加检查对象"),
        ("items:create", "只有部门管理员和联席会议办公室可以编辑抽查事项"),
        ("holidays:create", "只有联席会议办公室和系统管理员可以编辑工作日历"),
        ("plans:create", "只有部门管理员可以编制年度抽查计划"),
    ],
)
def test_every_refusal_says_why(client, market_inspector, url, reason):
    client.force_login(market_inspector)
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    response = client.get(reverse(url))
    page = response.content.decode()
    translation.activate("en")
    assert response.status_code == 403 and reason in page


def test_no_refusal_without_a_reason():
    """A bare ``raise PermissionDenied`` shows officers a 403 page that cannot say why."""
    root = Path(settings.BASE_DIR) / "fairspot"
    bare = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip() == "raise PermissionDenied"
    ]
    assert bare == []


def test_favicon_answers_instead_of_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("fairspot/favicon.svg")
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert "favicon.svg" in client.get("/public/").content.decode()
