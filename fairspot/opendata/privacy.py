"""What the open data may say about people: the one rule of ``fairspot.lib.privacy`` (the portal's pages
use the same), applied when a row enters the read model."""

from __future__ import annotations

from fairspot.lib.privacy import INDIVIDUAL, mask_name, mask_numbers, mask_text, public_target

__all__ = ["INDIVIDUAL", "mask_name", "mask_numbers", "mask_text", "public_target"]
