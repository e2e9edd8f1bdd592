from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "fairspot.credit"
    label = "credit"
    verbose_name = _("Credit-risk classification")

    def ready(self) -> None:
        from fairspot.core.registry import ListKind, register
        from fairspot.credit import exporters, selectors
        from fairspot.credit.importers import AnnualReportImporter, ClassImporter
        from fairspot.directory.panels import register_panel

        register(
            ListKind(
                "credit_classes",
                _("Credit-risk classes"),
                ClassImporter,
                exporters.class_header,
                exporters.class_rows,
                selectors.standings_for,
                position=70,
            ),
            ListKind(
                "annual_reports",
                _("Annual reports"),
                AnnualReportImporter,
                exporters.report_header,
                exporters.report_rows,
                selectors.reports_for,
                position=71,
            ),
        )
        register_panel(selectors.history_panel)
