"""``{% link "app:name" %}``: the address of a URL without arguments, reversed once per process.

Public pages carry a dozen fixed menu links; reversing each on every request costs more than the rest of
the header. The address depends only on the URL configuration and the script prefix, both fixed for a
running process, so it is remembered per (name, prefix).
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=512)
def _address(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def link(name: str) -> str:
    return _address(name, get_script_prefix())


class OnceNode(template.Node):
    def __init__(self, key: str, nodelist) -> None:
        self.key, self.nodelist = key, nodelist

    def render(self, context) -> str:
        from django.utils.translation import get_language

        key = (self.key, context.get("LANG") or get_language(), get_script_prefix())
        text = _ONCE.get(key)
        if text is None:
            text = _ONCE[key] = self.nodelist.render(context)
        return text


_ONCE: dict[tuple, str] = {}


@register.tag
def once(parser, token):
    """``{% once "name" %}…{% endonce %}``: a fragment that depends on nothing but the language (a page's
    fixed header and footer), rendered once per process and language. Nothing of the request, the
    user or the data may be inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% once %} takes one name")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(bits[1].strip("\"'"), nodelist)
