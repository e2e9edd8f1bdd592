"""Filters of the public pages: every free text goes through ``masked``."""

from django import template

from fairspot.portal import privacy

register = template.Library()


@register.filter
def masked(text) -> str:
    return privacy.mask_text(str(text or ""))


@register.filter
def public_name(target) -> str:
    return privacy.public_target_name(target)


@register.filter
def representative(target) -> str:
    return privacy.public_representative(target)
