from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectorsConfig(AppConfig):
    name = "fairspot.inspectors"
    label = "inspectors"

    def ready(self) -> None:
        from fairspot.core.registry import ListKind, register
        from fairspot.inspectors import exporters
        from fairspot.inspectors.importers import InspectorImporter
        from fairspot.inspectors.selectors import experts_for, inspectors_for

        register(
            ListKind(
                "inspectors",
                _("Inspectors"),
                InspectorImporter,
                exporters.export_header,
                exporters.inspector_rows,
                inspectors_for,
                position=20,
            ),
            ListKind(
                "experts",
                _("Experts"),
                None,
                lambda: list(exporters.EXPERT_HEADER),
                exporters.expert_rows,
                experts_for,
                position=30,
            ),
        )
