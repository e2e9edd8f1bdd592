from django.apps import AppConfig


class HubConfig(AppConfig):
    """The roof: what brings the other apps together — the dashboard, the import pages and the
    import/export commands over every registered list, and the demo district. Nothing imports it."""

    name = "fairspot.hub"
    label = "hub"

    def ready(self) -> None:
        from fairspot.hub import checks  # noqa: F401 - registers the deploy check on demo accounts
