from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes"

    def ready(self):
        # scopes registers scoping; job_handlers registers the measures import jobs.
        from outcomes import job_handlers, receivers, scopes  # noqa: F401
        from outcomes.plans import receivers as plan_receivers

        receivers.register()
        plan_receivers.register()
