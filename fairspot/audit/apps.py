from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fairspot.audit"
    label = "audit"

    def ready(self):
        from fairspot.audit import signals

        signals.connect()
