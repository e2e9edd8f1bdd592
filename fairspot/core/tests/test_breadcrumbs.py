"""Staff pages say where they sit in the menu: 工作台 › the group › the section (linked when deeper)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_deep_page_links_back_to_its_section(client, market_admin, draw):
    client.force_login(market_admin)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("draws:draw", args=[draw.draw_id])).content.decode()
    crumbs = page[page.index('<nav class="crumbs"') : page.index("</nav>", page.index('<nav class="crumbs"'))]
    assert "工作台" in crumbs and "计划与抽取" in crumbs
    assert f'href="{reverse("draws:tasks")}"' in crumbs


def test_the_section_page_itself_is_not_a_link_and_public_pages_have_none(client, market_admin):
    client.force_login(market_admin)
    page = client.get(reverse("draws:tasks")).content.decode()
    crumbs = page[page.index('<nav class="crumbs"') :]
    assert f'href="{reverse("draws:tasks")}"' not in crumbs[: crumbs.index("</nav>")]
    client.logout()
    assert 'class="crumbs"' not in client.get(reverse("portal:index")).content.decode()
