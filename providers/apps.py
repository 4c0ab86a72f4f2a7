from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Directory"

    def ready(self):
        from . import scopes  # noqa: F401  (registers organisation scoping)
