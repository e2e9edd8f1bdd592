from django.apps import AppConfig

# The apps whose data decide who is in a task's population and why others are out (directory, items'
# scope, earlier draws, open cases, credit classes, visits counted against the caps).
POPULATION_APPS = ("directory", "items", "draws", "cases", "credit", "inspections")


class DrawsConfig(AppConfig):
    name = "fairspot.draws"
    label = "draws"

    def ready(self) -> None:
        from fairspot.core import versions

        versions.watch(POPULATION_APPS)
