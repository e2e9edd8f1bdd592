from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "fairspot.plans"
    label = "plans"
