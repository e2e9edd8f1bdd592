"""HTTP hardening (docs/security.md "Hardening"): request body limits, Content-Security-Policy, no-store.

* :class:`RequestBodyLimitMiddleware` answers 413 from the declared ``Content-Length`` alone, before
  anything reads (or spools to disk) the body: uploads are accepted only on the upload URLs, up to
  their own limit and only from a logged-in user; anonymous requests may send a small form at most.
* :class:`SecurityHeadersMiddleware` sends a strict Content-Security-Policy on every response (no
  inline script or style anywhere: the pages load their scripts and styles from static files) and
  ``Cache-Control: no-store`` on every response to a logged-in user and on every download, except
  public responses that set their own caching (``Cache-Control: public``).
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
MULTIPART_OVERHEAD = 64 * 1024  # the form fields and boundaries around an uploaded file


def upload_limits() -> dict[str, int]:
    """URL name → largest request body accepted there (the only URLs that take files)."""
    return {
        "hub:import_start": settings.FAIRSPOT_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD,
        "inspections:line_attach": settings.FAIRSPOT_ATTACHMENT_MAX_BYTES + MULTIPART_OVERHEAD,
    }


def body_limit(request) -> int:
    """The largest body this request may declare."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return settings.FAIRSPOT_ANONYMOUS_MAX_BYTES
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        name = ""
    return upload_limits().get(name, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MULTIPART_OVERHEAD)


def too_large(limit: int) -> HttpResponse:
    message = _("The request is too large: at most %(size)s bytes may be sent here.") % {"size": f"{limit:,}"}
    response = HttpResponse(
        f"<!doctype html><meta charset=utf-8><title>413</title><p>{message}</p>",
        status=413,
        content_type="text/html; charset=utf-8",
    )
    response["Connection"] = "close"  # the unread body is not read to keep the connection
    return response


class RequestBodyLimitMiddleware:
    """Refuse a too-large declared body before reading it. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads nothing from a body whose length it cannot parse
        if declared > 0:
            limit = body_limit(request)
            if declared > limit:
                return too_large(limit)
        return self.get_response(request)


def _is_download(response) -> bool:
    disposition = response.get("Content-Disposition", "")
    return disposition.startswith("attachment") or response.get("Content-Type", "").startswith(
        ("application/pdf", "application/zip", "application/octet-stream", "text/csv", "application/vnd.")
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response; no-store on staff responses and downloads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        if "public" in response.get("Cache-Control", ""):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or _is_download(response):
            patch_cache_control(response, no_store=True, private=True)
        return response
