from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "fairspot.ops"
    label = "ops"
