"""The interface language: Simplified Chinese unless the person chose another one in the menu.

Django's LocaleMiddleware follows the browser's Accept-Language header, so an officer whose
browser happens to ask for English met an English Fairspot. Here the language comes only from the
cookie the language switch sets (``set_language``); without it, ``LANGUAGE_CODE`` applies.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """The language chosen in the menu (the cookie), or the site's default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Activate the chosen language for the request; the browser's Accept-Language is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
