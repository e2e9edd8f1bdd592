from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fairspot.core"
    label = "core"
