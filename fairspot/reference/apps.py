from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "fairspot.reference"
    label = "reference"
