"""Public pages (一公开) under /public/: no login, only GET/HEAD, cacheable, Simplified Chinese.

Views are thin: they read through ``fairspot.portal.selectors`` / ``bundle`` and render. Nothing here
writes, and nothing touches the session (so no cookie is set and shared caches may keep the pages).
"""

from __future__ import annotations

from collections import Counter
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from fairspot.audit.selectors import published_heads
from fairspot.core.listing import paged
from fairspot.core.pagecache import cached_page
from fairspot.draws.models import DrawnTarget, DrawStatus
from fairspot.draws.scope import reason_label
from fairspot.portal import bundle, selectors
from fairspot.reference.selectors import stratum_names

PAGE_MAX_AGE = 300  # five minutes: results and reveals show up soon enough
FILE_MAX_AGE = 3600


def _page_seconds() -> int:
    return settings.FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS


def public(max_age: int = PAGE_MAX_AGE, *, cache: bool = True):
    """GET/HEAD only, in Simplified Chinese, with ``Cache-Control: public, max-age=…``; pages (not
    files) are also kept rendered for ``FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS`` in the serving process."""

    def decorate(view):
        @require_safe
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            with translation.override("zh-hans"):
                response = view(request, *args, **kwargs)
            patch_cache_control(response, public=True, max_age=max_age)
            response.headers.setdefault("Content-Language", "zh-hans")
            return response

        return cached_page(_page_seconds)(wrapper) if cache else wrapper

    return decorate


@public()
def index(request):
    return render(
        request,
        "portal/index.html",
        {
            "departments": selectors.departments_with_items(),
            "tasks": selectors.public_tasks()[:20],
        },
    )


@public()
def items(request):
    return render(request, "portal/items.html", {"departments": selectors.departments_with_items()})


@public()
def department_items(request, code: str):
    department = get_object_or_404(selectors.departments_with_items(), code=code)
    return render(
        request,
        "portal/department_items.html",
        {"department": department, "items": selectors.published_items().filter(department=department)},
    )


@public()
def tasks(request):
    return render(request, "portal/tasks.html", {"tasks": selectors.public_tasks()[:500]})


@public()
def task_detail(request, code: str):
    task = get_object_or_404(selectors.public_tasks(), code=code)
    draws = list(task.draws.all())
    live = next((d for d in reversed(draws) if d.status != DrawStatus.ABANDONED), None)
    revealed = live is not None and live.status == DrawStatus.REVEALED
    drawn = selectors.drawn_targets(live) if revealed else DrawnTarget.objects.none()
    selected, selected_params = paged(request, drawn.filter(alternate=False))
    alternates, alternates_params = paged(request, drawn.filter(alternate=True), param="alt_page")
    return render(
        request,
        "portal/task_detail.html",
        {
            "task": task,
            "draws": draws,
            "live": live,
            "selected": selected,
            "selected_params": selected_params,
            "alternates": alternates,
            "alternates_params": alternates_params,
            "counts": selectors.task_result_counts(task) if revealed else None,
        },
    )


@public()
def targets(request):
    q = request.GET.get("q", "")
    return render(
        request,
        "portal/targets.html",
        {"q": q[:100], "found": selectors.search_targets(q), "limit": selectors.SEARCH_LIMIT},
    )


@public()
def target_detail(request, identifier: str):
    target = get_object_or_404(selectors.public_targets(), identifier=identifier)
    return render(
        request,
        "portal/target_detail.html",
        {
            "target": target,
            "draws": selectors.target_draws(target),
            "results": selectors.target_results(target),
        },
    )


def _strata(doc: dict | None, result: dict | None) -> list[dict]:
    """Per stratum: values, frame, allocation and (after the reveal) n — from the published documents."""
    if doc is None:
        return []
    sizes = {tuple(s["stratum"]): s for s in (result or {}).get("strata", [])}
    names = stratum_names()
    out = []
    for entry in doc.get("strata", []):
        revealed = sizes.get(tuple(entry["stratum"]), {})
        out.append(
            {
                # the bundle holds division codes (exact); readers also get the names
                "label": " / ".join(f"{v} {names[v]}" if v in names else v for v in entry["stratum"]) or "—",
                "rows": entry["rows"],
                "excluded": entry["excluded"],
                "N": entry["N"],
                "allocation": entry.get("ratio", entry.get("sample_size")),
                "n": revealed.get("n"),
                "expected_n": revealed.get("expected_n"),
            }
        )
    return out


@public()
def draw_detail(request, draw_id: str):
    draw = get_object_or_404(selectors.public_draws(), draw_id=draw_id)
    doc = bundle.manifest(draw)
    restricted = bundle.restricted(draw, doc)
    files = bundle.public_files(draw, doc)
    result = None
    if draw.seed and "result.json" in files:
        from fairspot.draw import parse_canonical_json

        result = parse_canonical_json(bundle.file_bytes(draw, "result.json"))
    drawn = selectors.drawn_targets(draw)
    selected, selected_params = paged(request, drawn.filter(alternate=False))
    alternates, alternates_params = paged(request, drawn.filter(alternate=True), param="alt_page")
    strata, strata_params = paged(
        request, _strata(None if restricted else doc, None if restricted else result), param="strata_page"
    )
    exclusions = (doc or {}).get("spec", {}).get("exclusions", [])
    replaced_by = getattr(draw, "replaced_by", None)
    excluded, excluded_params = paged(
        request,
        [] if restricted else [{"id": e["id"], "reason": reason_label(e["reason"])} for e in exclusions],
        param="excl_page",
    )
    return render(
        request,
        "portal/draw_detail.html",
        {
            "draw": draw,
            "task": draw.task,
            "manifest": doc,
            "restricted": restricted,
            "files": files,
            "sources": bundle.sources(draw) if draw.seed else [],
            "strata": strata,
            "strata_params": strata_params,
            "selected": selected,
            "selected_params": selected_params,
            "alternates": alternates,
            "alternates_params": alternates_params,
            "show_probability": not restricted,  # πps (fairspot-draw/2): π is exact, shown when public
            "exclusions": excluded,
            "exclusions_params": excluded_params,
            "exclusions_open": "excl_page" in request.GET,
            "excluded_by_reason": [
                (reason_label(r), n) for r, n in sorted(Counter(e["reason"] for e in exclusions).items())
            ],
            "replaced_by": replaced_by,
            "verifiable": bool(draw.seed),
            "classes": bundle.class_digests(doc),
        },
    )


@public(FILE_MAX_AGE, cache=False)
def draw_file(request, draw_id: str, name: str):
    draw = get_object_or_404(selectors.public_draws(), draw_id=draw_id)
    data = bundle.file_bytes(draw, name)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=bundle.content_type(name))
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@public(FILE_MAX_AGE, cache=False)
def draw_zip(request, draw_id: str):
    draw = get_object_or_404(selectors.public_draws(), draw_id=draw_id)
    response = HttpResponse(bundle.public_zip(draw), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}.zip"'
    return response


@public()
def audit_anchors(request):
    return render(request, "portal/audit_anchors.html", {"anchors": published_heads()[:3660]})


@public()
def audit_anchors_txt(request):
    """``position digest date`` lines, oldest first: the format ``manage.py audit_verify --anchors`` reads."""
    lines = (f"{a.entry_id} {a.digest} {a.day:%Y-%m-%d}\n" for a in published_heads().order_by("day"))
    return HttpResponse("".join(lines), content_type="text/plain; charset=utf-8")
