from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fairspot.portal"
    label = "portal"
    verbose_name = "Public portal"
