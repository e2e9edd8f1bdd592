"""The lists that can be imported and exported: one registry used by the commands and the web pages."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ListKind:
    kind: str
    title: str
    importer: Callable | None  # class(actor=..., options=...) with .run(path)
    header: Callable[[], list[str]]
    rows: Callable[[object], Iterable[list[str]]]  # (queryset) -> rows
    queryset: Callable[[object], object]  # (user) -> queryset visible to the user


def registry() -> dict[str, ListKind]:
    from fairspot.directory import exporters as target_export
    from fairspot.directory.importers import TargetImporter
    from fairspot.directory.selectors import targets_for
    from fairspot.inspectors import exporters as inspector_export
    from fairspot.inspectors.importers import InspectorImporter
    from fairspot.inspectors.selectors import experts_for, inspectors_for
    from fairspot.items import exporters as item_export
    from fairspot.items.importers import ItemImporter
    from fairspot.items.selectors import items_for

    return {
        "targets": ListKind(
            "targets",
            _("Targets"),
            TargetImporter,
            target_export.export_header,
            target_export.target_rows,
            targets_for,
        ),
        "inspectors": ListKind(
            "inspectors",
            _("Inspectors"),
            InspectorImporter,
            inspector_export.export_header,
            inspector_export.inspector_rows,
            inspectors_for,
        ),
        "experts": ListKind(
            "experts",
            _("Experts"),
            None,
            lambda: list(inspector_export.EXPERT_HEADER),
            inspector_export.expert_rows,
            experts_for,
        ),
        "items": ListKind(
            "items",
            _("Check items"),
            ItemImporter,
            item_export.export_header,
            item_export.item_rows,
            items_for,
        ),
    }
