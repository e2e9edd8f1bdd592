"""What the open data may say about people: masks applied when a row enters the read model.

- Identity-card numbers (18-digit, with a valid birth date) keep their first 3 and last 2 characters.
- Mobile numbers (1[3-9]…, 11 digits) keep the first 3 and last 4; landline numbers keep the area code
  and the last 2 digits.
- The legal representative / operator is published masked to the first character (张三 → 张*) for every
  kind of target; for individual businesses (个体工商户) the operator's name is also masked where it
  appears inside the business name or in the remarks.

Inspectors, reviewers, findings, review opinions and credit-risk classes never enter the read model at
all, so they need no mask.
"""

from __future__ import annotations

import re

from fairspot.cases.privacy import mask_name

INDIVIDUAL = "individual"

_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9A-Za-z])"
)
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ](\d{5,6})(\d{2})(?!\d)")


def mask_id_numbers(text: str) -> str:
    return _ID_CARD.sub(lambda m: m.group(1)[:3] + "*" * 13 + m.group(1)[-2:], text)


def mask_phones(text: str) -> str:
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)


def mask_text(text: str, *, names: tuple[str, ...] = ()) -> str:
    """Free text as it may be published: ID-card and phone numbers masked, and each of ``names``."""
    text = mask_phones(mask_id_numbers(text or ""))
    for name in names:
        name = name.strip()
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text


def public_target(name: str, legal_representative: str, entity_type: str) -> tuple[str, str]:
    """(name, legal representative) of a target as published."""
    representative = (legal_representative or "").strip()
    names = (representative,) if representative and entity_type == INDIVIDUAL else ()
    return mask_text(name, names=names), mask_name(representative)
