from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "fairspot.directory"
    label = "directory"

    def ready(self) -> None:
        from fairspot.core import versions
        from fairspot.core.registry import ListKind, register
        from fairspot.directory import exporters
        from fairspot.directory.importers import TargetImporter
        from fairspot.directory.selectors import targets_for

        register(
            ListKind(
                "targets",
                _("Targets"),
                TargetImporter,
                exporters.export_header,
                exporters.target_rows,
                targets_for,
                position=10,
            )
        )
        versions.watch(["directory"], name="directory")  # the directory's counts (a province: millions)
