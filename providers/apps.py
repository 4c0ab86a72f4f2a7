from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Directory"

    def ready(self):
        from providers import receivers, scopes  # noqa: F401  (scopes registers scoping)

        receivers.register()
