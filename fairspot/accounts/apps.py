from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairspot.accounts"
    label = "accounts"
