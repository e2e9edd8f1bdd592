from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fairspot.cases"
    label = "cases"
