"""``{% load reference %}``: reference codes in words on any page."""

from django import template

from fairspot.reference.selectors import method_names as _method_names

register = template.Library()


@register.filter
def method_names(codes: str) -> str:
    """Method codes (“1,2”) as their names."""
    return _method_names(codes)
