from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fairspot.inspections"
    label = "inspections"

    def ready(self) -> None:
        from fairspot.holidays.services import on_year_confirmed
        from fairspot.inspections.deadlines import recompute_provisional

        on_year_confirmed(recompute_provisional)
