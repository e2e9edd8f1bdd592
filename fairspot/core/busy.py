"""A database busy with a long write (e.g. a large import on SQLite) answers "try again", not a 500."""

from django.db import OperationalError
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

BUSY_WORDS = ("database is locked", "lock timeout", "canceling statement due to lock timeout")


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        if not any(word in str(exception).lower() for word in BUSY_WORDS):
            return None
        message = _(
            "The system is busy with a large job (for example an import) and could not save or read this "
            "page in time. Nothing was changed. Please try again in a minute."
        )
        title = escape(_("Busy"))
        page = f'<!doctype html><meta charset="utf-8"><title>{title}</title><p>{escape(message)}</p>'
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
