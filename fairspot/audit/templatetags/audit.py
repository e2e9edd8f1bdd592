"""``{% load audit %}``: audit entries in words on any page (history cards, the dashboard, the log)."""

from django import template

from fairspot.audit.labels import change_rows as _change_rows

register = template.Library()


@register.filter
def change_rows(entry) -> list[tuple[str, str, str]]:
    """An audit entry's changes as (field in words, old value, new value)."""
    return _change_rows(getattr(entry, "object_type", ""), getattr(entry, "changes", None))
