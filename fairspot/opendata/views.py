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
from fairspot.opendata import bulk, selectors
from fairspot.opendata.api import MAX_AGE, conditional
from fairspot.opendata.refresh import ensure_fresh

PAGE_SIZE = 20


def _public(response):
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


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
    except selectors.BadQuery:
        return _problem(request, 400, _("That is not a page number we can show."), q)
    page = selectors.search(q, number, PAGE_SIZE)
    if number > 1 and not page.rows:
        return _problem(request, 404, _("There is no page %(n)d for this search.") % {"n": number}, q)

    def link(n):
        return "?" + urlencode({"q": q, "page": n} if q else {"page": n})

    context = {
        "q": q,
        "rows": page.rows,
        "page": page,
        "next_url": link(number + 1) if page.has_next else "",
        "previous_url": link(number - 1) if page.has_previous else "",
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
