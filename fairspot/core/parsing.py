"""Parsing of cell values shared by the importers: dates, booleans, decimals, enumerations."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

TRUE_WORDS = frozenset({"是", "1", "true", "yes", "y", "√", "有"})
FALSE_WORDS = frozenset({"否", "0", "false", "no", "n", "", "无"})


class ParseError(ValueError):
    pass


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    if _ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    else:
        for fmt in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        if "T" in text or " " in text:  # a datetime from a spreadsheet
            try:
                return datetime.datetime.fromisoformat(text).date()
            except ValueError:
                pass
    raise ParseError(_("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": text[:40]})


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ParseError(_("“%(value)s” is not yes/no (use 是 or 否).") % {"value": text[:40]})


def parse_ratio(text: str) -> Decimal | None:
    """A sampling ratio: 0.05, 5% or 5％ → Decimal('0.05'); must lie in [0, 1]."""
    raw = text.strip()
    if not raw:
        return None
    percent = raw.endswith(("%", "％"))
    try:
        value = Decimal(raw.rstrip("%％").strip())
    except InvalidOperation as exc:
        raise ParseError(_("“%(value)s” is not a ratio (use 0.05 or 5%%).") % {"value": raw[:40]}) from exc
    if percent:
        value = value / 100
    if not value.is_finite() or value < 0 or value > 1:
        raise ParseError(_("The ratio %(value)s is outside 0–100%%.") % {"value": raw[:40]})
    return value.quantize(Decimal("0.0001"))


def choice_lookup(choices, *extra: dict[str, str]) -> dict[str, str]:
    """Map a TextChoices' values and labels (and given aliases) to its values, case-insensitively."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[str(value).lower()] = value
        out[str(label).lower()] = value
    for aliases in extra:
        out.update({k.lower(): v for k, v in aliases.items()})
    return out


_MULTI_SEPARATOR = re.compile(r"[；;,，、\n]")


def split_multi(text: str) -> list[str]:
    """Split a multi-value cell on ；; , 、 or newlines."""
    if not text:
        return []
    return [p for p in map(str.strip, _MULTI_SEPARATOR.split(text)) if p]
