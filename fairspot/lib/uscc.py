"""统一社会信用代码 (unified social credit code, GB 32100-2015): check character, validation, normalisation.

A code has 18 characters from the 31-character set ``0-9`` plus the upper-case letters without
I, O, Z, S and V:

* position 1: registration-authority code (登记管理部门代码, e.g. 9 = market regulation, 5 = civil affairs),
* position 2: entity-type code (机构类别代码), whose meaning depends on position 1,
* positions 3–8: administrative-division code of the registering authority (登记管理机关行政区划码), digits,
* positions 9–17: organisation code (主体标识码 / 组织机构代码, GB 11714),
* position 18: check character over positions 1–17 (this module).

Positions 1 and 2 are only checked against the character set: the tables of allowed values have
changed over the years. The organisation code carries its own GB 11714 check character at position 17;
it is deliberately NOT verified, because codes issued by some authorities (and many historical records
re-coded in 2015–2017) do not satisfy it while being perfectly valid registered codes.
"""

import re
import unicodedata
from operator import getitem

from django.utils.translation import gettext_lazy as _

from fairspot.lib.i18n import lazy_format

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
LENGTH = 18
DIVISION = range(2, 8)  # 0-based indexes of the administrative-division code (positions 3–8)
_VALUE = {char: value for value, char in enumerate(CHARSET)}
# Fast path: one regex for the character set and the digits at positions 3–8, then the weighted sum
# from per-position tables indexed by the (ASCII) byte, so that valid codes never reach _char_problem.
# Public for hot loops that inline is_valid_uscc():
#   WELL_FORMED.fullmatch(code) and code[17] == CHARSET[-sum(map(getitem, WEIGHTED, code.encode())) % 31]
WELL_FORMED = re.compile(f"[{CHARSET}]{{2}}[0-9]{{6}}[{CHARSET}]{{10}}")
WEIGHTED = tuple(tuple(_VALUE.get(chr(byte), 0) * weight for byte in range(128)) for weight in WEIGHTS)


def _check_of(first17: bytes) -> str:
    """The check character of 17 well-formed ASCII characters (extra bytes beyond 17 are ignored)."""
    return CHARSET[-sum(map(getitem, WEIGHTED, first17)) % 31]


def _char_problem(code: str) -> str | None:
    """The first character of ``code`` (17 or 18 chars) that is not allowed where it stands."""
    for index, char in enumerate(code):
        if index in DIVISION and not ("0" <= char <= "9"):
            return lazy_format(
                _(
                    "Position %(position)s is “%(char)s”, but positions 3–8 (the administrative-division "
                    "code) of a unified social credit code are digits."
                ),
                position=index + 1,
                char=char,
            )
        if char not in _VALUE:
            return lazy_format(
                _(
                    "Position %(position)s is “%(char)s”, which is not allowed in a unified social credit "
                    "code (only digits and capital letters other than I, O, Z, S and V)."
                ),
                position=index + 1,
                char=char,
            )
    return None


def check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters; ValueError if they are malformed."""
    if len(first17) != LENGTH - 1:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    if not WELL_FORMED.fullmatch(first17 + "0"):
        problem = _char_problem(first17)
        if problem:
            raise ValueError(str(problem))
    return _check_of(first17.encode("ascii"))


def uscc_error(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code (a translatable message), or None if it is.

    ``code`` is checked as given: call :func:`normalize_uscc` first on user input.
    """
    if is_valid_uscc(code):
        return None
    if not isinstance(code, str) or len(code) != LENGTH:
        length = len(code) if isinstance(code, str) else 0
        return lazy_format(
            _("A unified social credit code has 18 characters; this one has %(length)s."), length=length
        )
    problem = _char_problem(code)
    if problem:
        return problem
    expected = check_char(code[:-1])
    if code[-1] != expected:
        return lazy_format(
            _(
                "The check character (position 18) should be “%(expected)s”, not “%(actual)s”: "
                "the code has a typo."
            ),
            expected=expected,
            actual=code[-1],
        )
    return None


def is_valid_uscc(code: str) -> bool:
    """True if ``code`` (as given, not normalised) is a well-formed code with the right check character."""
    return (
        isinstance(code, str)
        and WELL_FORMED.fullmatch(code) is not None
        and code[17] == _check_of(code.encode("ascii"))
    )


def normalize_uscc(raw: str) -> str:
    """Clean user input: full-width characters to half-width (NFKC), surrounding spaces removed, upper case.

    ``"９１３５０１００ｍ０００１００ｙ４３　"`` becomes ``"91350100M000100Y43"``. Nothing else is
    changed, so a wrong code stays wrong and :func:`uscc_error` can say why.
    """
    if not raw:
        return ""
    if raw.isascii():  # NFKC leaves ASCII text unchanged: skip it for the usual input
        return raw.strip().upper()
    return unicodedata.normalize("NFKC", raw).strip().upper()


def make_uscc(first17: str) -> str:
    """``first17`` plus its check character (demo data, tests). ValueError if ``first17`` is malformed."""
    return first17 + check_char(first17)
