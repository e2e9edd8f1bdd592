"""The lists that can be imported and exported: one registry used by the commands and the web pages.

The base knows no app: each app registers its own lists when Django starts (``AppConfig.ready``), so
the registry points downwards only. ``position`` keeps the order people see (targets first).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ListKind:
    kind: str
    title: str
    importer: Callable | None  # class(actor=..., options=...) with .run(path)
    header: Callable[[], list[str]]
    rows: Callable[[object], Iterable[list[str]]]  # (queryset) -> rows
    queryset: Callable[[object], object]  # (user) -> queryset visible to the user
    position: int = 100


_KINDS: dict[str, ListKind] = {}


def register(*kinds: ListKind) -> None:
    for spec in kinds:
        _KINDS[spec.kind] = spec


def registry() -> dict[str, ListKind]:
    """Every registered list, in the order people see them."""
    return dict(sorted(_KINDS.items(), key=lambda item: (item[1].position, item[0])))
