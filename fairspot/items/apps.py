from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "fairspot.items"
    label = "items"
