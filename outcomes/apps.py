from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes"

    def ready(self):
        # scopes registers scoping; job_handlers registers the measures import jobs.
        from outcomes import job_handlers, receivers, scopes  # noqa: F401

        receivers.register()
