from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "talkingmoves.accounts"
    label = "accounts"

    def ready(self):
        from . import scopes  # noqa: F401  (registers organisation scoping)
