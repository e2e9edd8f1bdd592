from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "fairspot.cases"
    label = "cases"
    verbose_name = _("Cases and special inspections")

    def ready(self) -> None:
        from fairspot.cases.exclusions import open_case_exclusions
        from fairspot.draws.population import register_exclusion

        register_exclusion(open_case_exclusions)
