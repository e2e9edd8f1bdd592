"""Filters of the public pages: every free text goes through ``masked``."""

from django import template

from fairspot.draws.source_kinds import format_in_words
from fairspot.plans.selectors import inspection_type as _inspection_type
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


@register.filter
def inspection_type(task) -> str:
    """The type of inspection in the words the published results use (定向 / 不定向抽查, 专项检查)."""
    return _inspection_type(task)


@register.filter
def format_words(fmt: str) -> str:
    """A randomness source's value rule in words (the exact rule stays in the published manifest)."""
    return format_in_words(fmt)
