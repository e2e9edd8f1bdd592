from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fairspot.inspections"
    label = "inspections"
