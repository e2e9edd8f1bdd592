from django.apps import AppConfig


class InspectorsConfig(AppConfig):
    name = "fairspot.inspectors"
    label = "inspectors"
