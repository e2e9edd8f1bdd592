"""Translatable messages with parameters that stay lazy until they are shown."""

from collections.abc import Mapping

from django.utils.functional import lazy


def _format(message: str, params: Mapping[str, object]) -> str:
    return str(message) % {key: str(value) for key, value in params.items()}


_lazy_format = lazy(_format, str)


def lazy_format(message: str, /, **params: object) -> str:
    """``message % params``, evaluated each time the result is turned into text.

    ``message`` is a ``gettext_lazy`` msgid with ``%(name)s`` placeholders; the result is translated
    into whatever language is active when it is rendered (a report built in a background job is shown
    in the reader's language). Every parameter is rendered with ``str()``.
    """
    return _lazy_format(message, params)
