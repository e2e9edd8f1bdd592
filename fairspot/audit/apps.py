from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fairspot.audit"
    label = "audit"
