"""Hardening: body limits before the body is read, CSP on every page and no inline script, no-store."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from fairspot.security.http import body_limit

HUGE = 600 * 1024 * 1024


class UnreadableBody:
    """A request body that must never be read: reading it fails the test."""

    read_calls = 0

    def read(self, *args):
        UnreadableBody.read_calls += 1
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def unreadable():
    UnreadableBody.read_calls = 0
    return UnreadableBody()


def post_huge(client, url, body, **extra):
    return client.generic(
        "POST",
        url,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(HUGE),
        **{"wsgi.input": body},
        **extra,
    )


def test_anonymous_600_mib_post_to_login_is_refused_unread(client, unreadable, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    client.cookies["django_language"] = "zh-hans"  # chosen in the menu
    response = post_huge(client, reverse("login"), unreadable)
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()
    assert UnreadableBody.read_calls == 0 and list(tmp_path.iterdir()) == []


def test_staff_huge_post_outside_upload_urls_is_refused_unread(client, market_admin, unreadable):
    client.force_login(market_admin)
    response = post_huge(client, reverse("directory:create"), unreadable)
    assert response.status_code == 413 and UnreadableBody.read_calls == 0


def test_staff_upload_above_import_limit_is_refused_unread(client, market_admin, unreadable):
    client.force_login(market_admin)
    response = post_huge(client, reverse("hub:import_start", args=["targets"]), unreadable)
    assert response.status_code == 413 and UnreadableBody.read_calls == 0


def test_anonymous_upload_to_import_url_is_refused_unread(client, unreadable, db):
    response = client.generic(
        "POST",
        reverse("hub:import_start", args=["targets"]),
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
        **{"wsgi.input": unreadable},
    )
    assert response.status_code == 413 and UnreadableBody.read_calls == 0


def test_limits_by_url(rf, market_admin):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post(reverse("hub:import_start", args=["targets"]))
    request.user = market_admin
    assert body_limit(request) > settings.FAIRSPOT_IMPORT_MAX_BYTES
    request.user = AnonymousUser()
    assert body_limit(request) == settings.FAIRSPOT_ANONYMOUS_MAX_BYTES
    request = rf.post(reverse("directory:create"))
    request.user = market_admin
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= body_limit(request) < settings.FAIRSPOT_IMPORT_MAX_BYTES


def test_small_login_post_still_works(client, market_admin):
    response = client.post(reverse("login"), {"username": "market", "password": "wrong"})
    assert response.status_code == 200


CSP_PARTS = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/public/", "/public/results/", "/nope/", "/admin/login/"]
)
def test_csp_on_public_pages(client, db, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert all(part in policy for part in CSP_PARTS) and "unsafe-inline" not in policy


def test_csp_and_no_store_on_staff_pages(client, market_admin):
    client.force_login(market_admin)
    for name in ["hub:dashboard", "directory:list", "items:list", "hub:imports"]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"], name


def test_no_store_on_exports(client, market_admin):
    client.force_login(market_admin)
    response = client.get(reverse("directory:list"), {"export": "csv"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_public_pages_keep_their_own_caching(client, market_admin, logged_in):
    if logged_in:
        client.force_login(market_admin)
    response = client.get("/public/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


TEMPLATES = [p for p in Path(settings.BASE_DIR, "fairspot").rglob("*.html") if "templates" in p.parts]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_inline_script_or_style_in_templates(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not INLINE_HANDLER.search(text), "inline event handler: use a data- attribute and app.js"
    assert not INLINE_STYLE.search(text), "inline style: move it to a static stylesheet"


def test_rendered_staff_pages_have_no_inline_script(client, market_admin):
    client.force_login(market_admin)
    for name in ["hub:dashboard", "directory:list", "holidays:list", "hub:imports"]:
        html = client.get(reverse(name)).content.decode()
        assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html), name
        assert "/static/fairspot/app.js" in html
