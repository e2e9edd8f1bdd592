"""Masking of personal data on public pages (个人信息去标识化).

* ``mask_person_name``: an individual business owner's name keeps its first character (the surname)
  and masks every other character: 张三 → 张*, 张三丰 → 张**. Compound surnames lose their second
  character too, which masks more than required, never less.
* ``mask_text``: free text (remarks, reasons) with identity-card numbers (18 or 15 digits with a valid
  birth date) and phone numbers (mobiles, landlines with area code) masked. It runs on every free-text
  field the portal shows, because officers type what they type.
"""

from __future__ import annotations

import re

_ID18 = r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
_ID15 = r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}"
_LANDLINE = r"0\d{2,3}[- ]?\d{7,8}"
_NUMBER = re.compile(rf"(?<![0-9A-Za-z])(?:{_ID18}|{_ID15}|{_MOBILE}|{_LANDLINE})(?![0-9A-Za-z])")


def mask_person_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)


def _mask_number(match: re.Match) -> str:
    text = match.group(0)
    digits = [i for i, c in enumerate(text) if c.isalnum()]
    keep = {*digits[:3], *digits[-4:]} if len(digits) >= 11 else {*digits[:2], *digits[-2:]}
    return "".join(c if (i in keep or not c.isalnum()) else "*" for i, c in enumerate(text))


def mask_text(text: str) -> str:
    """Free text with identity-card and phone numbers masked (first 3 and last 4 digits kept)."""
    return _NUMBER.sub(_mask_number, text or "")


def mask_certificate(number: str) -> str:
    """An officer's certificate number as the check-code page shows it: the last four characters (what
    the firm compares with the card shown at the door) and the first, the rest masked; a short number
    keeps its last two only."""
    number = (number or "").strip()
    if len(number) <= 2:
        return "*" * len(number)
    if len(number) <= 6:
        return "*" * (len(number) - 2) + number[-2:]
    return number[0] + "*" * (len(number) - 5) + number[-4:]


def public_target_name(target) -> str:
    """The target's public name: an individual business named after its owner has the name masked."""
    name = mask_text(target.name)
    owner = (target.legal_representative or "").strip()
    if target.entity_type == "individual" and len(owner) > 1 and owner in name:
        name = name.replace(owner, mask_person_name(owner))
    return name


def public_representative(target) -> str:
    """Legal representative as published: enterprises' are registration facts; an individual business
    owner's name is masked."""
    if not target.is_market_entity:
        return ""
    if target.entity_type == "individual":
        return mask_person_name(target.legal_representative)
    return mask_text(target.legal_representative)
