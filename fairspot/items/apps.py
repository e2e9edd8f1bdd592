from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItemsConfig(AppConfig):
    name = "fairspot.items"
    label = "items"

    def ready(self) -> None:
        from fairspot.core.registry import ListKind, register
        from fairspot.items import exporters
        from fairspot.items.importers import ItemImporter
        from fairspot.items.selectors import items_for

        register(
            ListKind(
                "items",
                _("Check items"),
                ItemImporter,
                exporters.export_header,
                exporters.item_rows,
                items_for,
                position=40,
            )
        )
