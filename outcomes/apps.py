from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes"

    def ready(self):
        from outcomes import scopes  # noqa: F401  (registers organisation scoping)
