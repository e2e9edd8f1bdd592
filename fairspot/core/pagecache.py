"""A small per-process cache of rendered public pages (the portal's and the open data's).

Public pages are the same for everybody, so a rendered page is kept for a number of seconds given by
the caller (a setting: ``FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS``, ``FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS``;
default 60, no longer than the ``max-age`` the pages announce; 0 turns it off) in the serving process,
keyed by path, query and language. ``clear()`` empties this process's cache (e.g. when it takes new
results into the read model); other processes' copies expire within the timeout. Bounded: the least
recently used pages are dropped beyond ``MAX_ENTRIES``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse

MAX_ENTRIES = 2000
_lock = threading.Lock()
_pages: OrderedDict[tuple, tuple[float, bytes, dict]] = OrderedDict()
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Content-Language")


def clear() -> None:
    with _lock:
        _pages.clear()


def cached_page(seconds_for: Callable[[], int]):
    """Decorate a public view: its 200 GET responses are kept ``seconds_for()`` seconds."""
    return lambda view: _cached(view, seconds_for)


def _cached(view, seconds_for):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = seconds_for()
        if seconds <= 0 or request.method != "GET":
            return view(request, *args, **kwargs)
        key = (request.get_full_path(), getattr(request, "LANGUAGE_CODE", ""))
        now = time.monotonic()
        with _lock:
            hit = _pages.get(key)
            if hit is not None and hit[0] > now:
                _pages.move_to_end(key)
                response = HttpResponse(hit[1])
                for name, value in hit[2].items():
                    response[name] = value
                return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            with _lock:
                _pages[key] = (now + seconds, response.content, headers)
                _pages.move_to_end(key)
                while len(_pages) > MAX_ENTRIES:
                    _pages.popitem(last=False)
        return response

    return wrapper
