from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fairspot.inspections"
    label = "inspections"

    def ready(self) -> None:
        from fairspot.holidays.services import on_year_confirmed
        from fairspot.inspections.deadlines import recompute_provisional

        on_year_confirmed(recompute_provisional)

        from fairspot.draws.hooks import on_begun_targets, on_team_changed
        from fairspot.inspections.team_sync import begun_targets, sync_team

        on_team_changed(sync_team)
        on_begun_targets(begun_targets)

        from fairspot.draws.population import register_exclusion
        from fairspot.inspections.annual_cap import firm_cap_exclusions, item_cap_exclusions

        register_exclusion(firm_cap_exclusions)
        register_exclusion(item_cap_exclusions)
