"""Every page reachable from the menu, for each kind of user, in Chinese on a 390 px phone (issue 11):
no server error, no developer vocabulary, no raw dotted action code, no regular expression, and no
page wider than the screen (tables scroll inside their own box).

The crawl follows the menu of each role and one level of links from each menu page (same site, GET
only), skipping downloads, exports, logout and the language switch; it stops at ``LIMIT`` pages a role
to keep the suite fast. Every finding is listed at once, with its page and its text.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest

from fairspot.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"width": 390, "height": 844}
LIMIT = 45
ROLES = ["anonymous", "office", "market", "scjg-001", "convenor"]
SKIP = re.compile(
    r"(export=|\.(csv|xlsx|pdf|zip|json|txt|svg|png|ico)(\?|$)|/files/|/logout|/i18n/|/admin/|/static/"
    r"|/media/|/download|/file/|feed/|/api/|/accounts/password)"
)
# words a person must never read on a Chinese page (visible text, whole words)
DEVELOPER = re.compile(
    r"\b(None|True|False|null|undefined|NaN|Traceback|queryset|QuerySet|regex|kwargs|pk|id=)\b|object at 0x"
)
DOTTED = re.compile(r"(?<![\w/.@-])[a-z]+\.[a-z_]+\.[a-z_]+(?![\w/.-])")
FILE_ENDINGS = ("json", "csv", "xlsx", "pdf", "zip", "txt", "svg", "png", "html", "js", "css", "py")
REGEX = re.compile(r"\^\[|\]\{\d|\\d\{|\[0-9a-f\]|\(\?:")


def _links(page, base: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        if urlparse(url).netloc != urlparse(base).netloc or SKIP.search(url):
            continue
        out.append(url.split("#")[0])
    return list(dict.fromkeys(out))


def _problems(page, url: str, status: int) -> list[str]:
    found = []
    if status >= 500:
        found.append(f"{url}: HTTP {status}")
    text = page.inner_text("body")
    for match in DEVELOPER.finditer(text):
        around = text[max(0, match.start() - 30) : match.end() + 30]
        found.append(f"{url}: developer word {match.group(0)!r} in …{around}…")
    for match in DOTTED.finditer(text):
        if match.group(0).rsplit(".", 1)[-1] not in FILE_ENDINGS:
            found.append(f"{url}: raw code {match.group(0)!r}")
    for match in REGEX.finditer(text):
        found.append(f"{url}: regular expression …{text[max(0, match.start() - 20) : match.end() + 20]}…")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{url}: {width} px wide on a {PHONE['width']} px phone")
    return found


def test_every_menu_page_reads_as_words_and_fits_a_phone(browser_page):
    page, base = browser_page
    browser = page.context.browser
    problems: list[str] = []
    visited = 0
    for role in ROLES:
        context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        if role == "anonymous":
            tab.goto(f"{base}/public/")
            menu = _links(tab, base, "header a[href]")
        else:
            login(tab, base, role)
            menu = _links(tab, base, "nav.main a[href]")
        queue = list(menu)
        seen: set[str] = set()
        while queue and len(seen) < LIMIT:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = tab.goto(url)
            problems += [f"[{role}] {p}" for p in _problems(tab, url, response.status if response else 0)]
            if url in menu:  # one level below each menu page
                queue += [u for u in _links(tab, base, "main a[href]") if u not in seen]
        visited += len(seen)
        context.close()
    assert visited > 100
    assert problems == [], "\n".join(problems)


class _Page:
    def __init__(self, text: str, width: int = 390):
        self.text, self.width = text, width

    def inner_text(self, selector):
        return self.text

    def evaluate(self, script):
        return self.width


@pytest.mark.parametrize(
    ("text", "width", "kind"),
    [
        ("操作：draws.task.created", 390, "raw code"),
        ("审核时间：None", 390, "developer word"),
        ("格式 ^[0-9a-f]{32}$", 390, "regular expression"),
        ("一切正常", 546, "px wide"),
        ("服务器错误", 390, "HTTP 500"),
    ],
)
def test_the_crawl_sees_what_it_looks_for(text, width, kind):
    """Each check of the crawl fires on an example of what it must catch (so the crawl can fail)."""
    found = _problems(_Page(text, width), "/x/", 500 if kind == "HTTP 500" else 200)
    assert any(kind in line for line in found), found


def test_the_crawl_lets_words_files_and_addresses_pass():
    found = _problems(_Page("下载 manifest.json 与 population.csv；见 www.gsxt.gov.cn，无误"), "/x/", 200)
    assert found == []
