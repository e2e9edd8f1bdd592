"""What may be published about people: one rule for the public pages, the API, the bulk files and the feed.

* **Names of people** keep their first character (the surname) and mask the rest: 张三 → 张*,
  张三丰 → 张**, a one-character name → *. Compound surnames lose their second character too, which masks
  more than required, never less.
* **The legal representative or operator** of a target is published masked, for every kind of target:
  the published record is about the inspection, and the full registration is on the national enterprise
  credit information system. For an individual business (个体工商户), whose name often contains its
  operator's name, that name is masked inside the business name and in the remarks as well.
* **Numbers in free text** (remarks, reasons — officers type what they type): identity-card numbers (18
  or 15 digits with a valid birth date) and mobile numbers keep their first 3 and last 4 digits;
  landline numbers keep their area code and last 2 digits. Separators stay where they were. Credit codes,
  dates and amounts are left alone.

Inspectors' personal data, findings, review opinions and credit-risk classes are never published at all,
so they need no mask here.
"""

from __future__ import annotations

import re

INDIVIDUAL = "individual"

_ID18 = r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
_ID15 = r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
_MOBILE = r"(?P<cc>\+?86[- ]?)?(?P<mobile>1[3-9]\d[- ]?\d{4}[- ]?\d{4})"
_LANDLINE = r"(?P<area>0\d{2,3})(?P<sep>[- ]?)(?P<local>\d{7,8})"
_NUMBER = re.compile(rf"(?<![0-9A-Za-z])(?:(?P<id>{_ID18}|{_ID15})|{_MOBILE}|{_LANDLINE})(?![0-9A-Za-z])")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return "*" if len(name) == 1 else name[0] + "*" * (len(name) - 1)


def _keep(text: str, first: int, last: int) -> str:
    """Mask every letter or digit of ``text`` but the first ``first`` and the last ``last``."""
    places = [i for i, c in enumerate(text) if c.isalnum()]
    keep = {*places[:first], *places[len(places) - last :]}
    return "".join(c if (i in keep or not c.isalnum()) else "*" for i, c in enumerate(text))


def _mask_number(match: re.Match) -> str:
    if match.group("id"):
        return _keep(match.group("id"), 3, 4)
    if match.group("mobile"):
        return (match.group("cc") or "") + _keep(match.group("mobile"), 3, 4)
    local = match.group("local")
    return match.group("area") + match.group("sep") + "*" * (len(local) - 2) + local[-2:]


def mask_numbers(text: str) -> str:
    return _NUMBER.sub(_mask_number, text or "")


def mask_text(text: str, *, names: tuple[str, ...] = ()) -> str:
    """Free text as it may be published: its numbers masked, and each of ``names`` (of two or more
    characters)."""
    text = mask_numbers(text)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text


def public_target(name: str, legal_representative: str, entity_type: str) -> tuple[str, str]:
    """(name, legal representative) of a target as published."""
    representative = (legal_representative or "").strip()
    names = (representative,) if representative and entity_type == INDIVIDUAL else ()
    return mask_text(name, names=names), mask_name(representative)
