from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "fairspot.draws"
    label = "draws"
