"""Masking of personal data on public pages: the one rule of ``fairspot.lib.privacy``, applied to targets."""

from __future__ import annotations

from fairspot.lib.privacy import mask_name, mask_text, public_target

mask_person_name = mask_name

__all__ = ["mask_person_name", "mask_text", "public_representative", "public_target_name"]


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
    """The target's public name: an individual business named after its operator has that name masked."""
    return public_target(target.name, target.legal_representative, target.entity_type)[0]


def public_representative(target) -> str:
    """The legal representative or operator as published (masked, for every kind of target)."""
    if not target.is_market_entity:
        return ""
    return public_target(target.name, target.legal_representative, target.entity_type)[1]
