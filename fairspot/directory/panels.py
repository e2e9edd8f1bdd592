"""Panels that higher rooms add to a target's staff page without the directory importing them.

A panel is a function ``(request, target) -> str | None``: the HTML of a section, or None for none.
Registered in the higher room's ``AppConfig.ready()`` (e.g. credit: the class history and its reasons).
"""

from collections.abc import Callable

Panel = Callable[[object, object], str | None]
PANELS: list[Panel] = []


def register_panel(panel: Panel) -> Panel:
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def panels_for(request, target) -> list[str]:
    return [html for panel in PANELS if (html := panel(request, target))]
