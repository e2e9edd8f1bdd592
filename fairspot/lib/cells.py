"""Cell values: formula (CSV) injection safety and the one way a value becomes cell text.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, after the program
trims it, a tab or carriage return) as a formula. A target name such as ``=HYPERLINK(...)`` or
``=cmd|'/C calc'!A0`` in an exported list would be executed on the inspector's computer.

* Export: :func:`neutralize` puts an apostrophe in front, so the cell is shown as text.
* Import: a value that starts with ``'`` followed by a formula prefix had been neutralized (by us or by
  the user): :func:`unneutralize` drops that one apostrophe, so export → import round-trips unchanged.
  A value that starts with a formula prefix without the apostrophe is refused with
  :func:`formula_error`, so nothing stored can turn into a formula in someone else's export.

Why not defusedcsv's own ``_escape``: it also rewrites ``|`` into ``\\|`` (which cannot be undone, so a
round trip would change the data), treats ``%`` and ``|`` as prefixes (not formula triggers) and
misses tab and carriage return (which OWASP lists). Like defusedcsv, values that are plain numbers
(``-12``, ``+3.5``, ``-1,234``) are left alone; we extend that to values made only of digits, spaces,
``+ - . , ( )``, i.e. phone numbers (``+86 10 1234 5678``) and dash placeholders (``-``, ``--``).
Without a letter, ``!``, ``|``, ``"`` or a quote such a value cannot call a function or another
program, so it is safe to leave it as it is.
"""

import datetime
import math
import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fairspot.lib.i18n import lazy_format

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_HARMLESS = re.compile(r"[-+0-9., ()]*")


def _runs_as_formula(value: str) -> bool:
    """True if a spreadsheet would run ``value`` as a formula (and it is not a harmless number/dash)."""
    return value[:1] in FORMULA_PREFIXES and not _HARMLESS.fullmatch(value)


def _is_quoted(value: str) -> bool:
    """True if ``value`` is one or more apostrophes in front of a formula prefix (``'=x``, ``''-5``)."""
    return value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_PREFIXES


def neutralize(value: str) -> str:
    """For export: ``'`` + value when a spreadsheet would run it as a formula, else value unchanged.

    A value that already is apostrophes in front of a formula prefix (``'=x``, ``'-5``) gets one more,
    so :func:`unneutralize` gives back every string exactly: ``unneutralize(neutralize(s)) == s``.
    """
    return "'" + value if _runs_as_formula(value) or _is_quoted(value) else value


def unneutralize(value: str) -> str:
    """For import: drop exactly one leading ``'`` in front of a formula prefix; other values unchanged.

    Also undoes other programs' neutralizing of harmless values (``'-5`` → ``-5``).
    """
    return value[1:] if _is_quoted(value) else value


def formula_error(value: str) -> str | None:
    """Why an imported value is refused (translatable), or None.

    Only a value that starts with a formula prefix itself is refused; an apostrophe in front
    (``'=1+2``) marks it as text and :func:`unneutralize` applies instead.
    """
    if not _runs_as_formula(value):
        return None
    shown = {"\t": _("a tab"), "\r": _("a carriage return")}.get(value[0], value[0])
    return lazy_format(
        _(
            "The value starts with “%(prefix)s”, which a spreadsheet would run as a formula; remove it "
            "or put an apostrophe (') in front."
        ),
        prefix=shown,
    )


def check_imported(value: str) -> tuple[str, str | None]:
    """The import rule in one call: ``(unneutralized value, None)`` or ``(value, formula error)``."""
    problem = formula_error(value)
    return (value, problem) if problem else (unneutralize(value), None)


def cell_text(value: object) -> str:
    """The text of a cell value as this application reads and writes it.

    None → ``""``; date → ``YYYY-MM-DD``; datetime → ``YYYY-MM-DD`` at midnight, else ISO 8601
    (``2026-11-28T09:30:00``); bool → ``TRUE``/``FALSE`` (as a spreadsheet shows it); int → digits;
    integral float → digits (``12.0`` → ``12``); other float → shortest round-trip decimal without an
    exponent (``1e-07`` → ``0.0000001``); anything else → ``str(value)``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
