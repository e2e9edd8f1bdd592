from django import template
from django.utils.translation import gettext_lazy

register = template.Library()


@register.filter
def changed_fields(changes) -> list[tuple[str, list]]:
    """(field, [old, new]) pairs of an audit entry's changes. Not ``.items``: a field may be named "items"."""
    if not isinstance(changes, dict):
        return []
    return sorted(changes.items())


@register.filter
def entries(mapping) -> list[tuple]:
    """Sorted (key, value) pairs of a dict or Counter, safe where ``.items`` would be taken as a key."""
    return sorted(mapping.items()) if hasattr(mapping, "items") else []


SOURCE_KINDS = {
    "drand": gettext_lazy("drand public randomness (round)"),
    "public_number": gettext_lazy("public number"),
    "ceremony": gettext_lazy("witnessed ceremony"),
}


@register.filter
def source_kind(kind: str) -> str:
    """A randomness source's kind in words (the code stays in the bundle)."""
    return SOURCE_KINDS.get(kind, kind)
