from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes"

    def ready(self):
        from outcomes import receivers, scopes  # noqa: F401  (scopes registers scoping)

        receivers.register()
