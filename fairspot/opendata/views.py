"""Public pages of the open data (no login): the results search, the downloads and the Atom feed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fairspot.core.pagecache import cached_page
from fairspot.opendata import bulk, keyset, selectors
from fairspot.opendata.api import MAX_AGE, conditional
from fairspot.opendata.refresh import ensure_fresh

PAGE_SIZE = 20


def _public(response):
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _key(value: str | None) -> int | None:
    """A ``before`` / ``after`` row key: a positive whole number, or absent."""
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 18:
        raise selectors.BadQuery("The page key is not a row number.")
    return int(value)


def _problem(request, status: int, message: str, q: str = ""):
    return render(request, "opendata/results.html", {"q": q, "problem": message, "rows": []}, status=status)


@require_safe
@conditional
def results(request):
    ensure_fresh()
    return _results(request)


@cached_page(lambda: settings.FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS)
def _results(request):
    raw_q = request.GET.get("q", "")
    try:
        q = selectors.clean_query(raw_q)
    except selectors.BadQuery:
        return _problem(
            request, 400, _("The search is too long: at most %(n)d characters.") % {"n": selectors.MAX_QUERY}
        )
    try:
        number = selectors.parse_page(request.GET.get("page"))
        before, after = _key(request.GET.get("before")), _key(request.GET.get("after"))
    except selectors.BadQuery:
        return _problem(request, 400, _("That is not a page number we can show."), q)

    def link(**bound):
        return "?" + urlencode({"q": q, **bound} if q else bound)

    if number > 1 and before is None and after is None:  # an old numbered link: served by offset
        page = selectors.search(q, number, PAGE_SIZE)
        if not page.rows:
            return _problem(request, 404, _("There is no page %(n)d for this search.") % {"n": number}, q)
        rows, older = page.rows, page.rows[-1].pk if page.has_next else None
        newer = page.rows[0].pk
    else:  # keyset: one query, from a known row
        keyset_page = keyset.search(q, before=before, after=after, size=PAGE_SIZE)
        rows, older, newer = keyset_page.rows, keyset_page.older, keyset_page.newer
    context = {
        "q": q,
        "problem": "",
        "rows": rows,
        "next_url": link(before=older) if older is not None else "",
        "previous_url": link(after=newer) if newer is not None else "",
        "by_code": bool(q) and selectors.is_code(q),
    }
    return _public(render(request, "opendata/results.html", context))


@require_safe
def downloads(request):
    return _public(render(request, "opendata/downloads.html", {"manifest": bulk.manifest()}))


@require_safe
def download(request, name: str):
    manifest = bulk.manifest() or {"files": []}
    if name not in {entry["name"] for entry in manifest["files"]} | {bulk.MANIFEST}:
        raise Http404(_("No such download."))
    path = bulk.opendata_dir() / name
    if not path.is_file():
        raise Http404(_("No such download."))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    return _public(response)
