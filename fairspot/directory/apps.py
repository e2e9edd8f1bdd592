from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "fairspot.directory"
    label = "directory"
