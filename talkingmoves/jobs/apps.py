from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "talkingmoves.jobs"
    label = "jobs"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import scopes  # noqa: F401 (registers the organisation scope)

        # Each app keeps its handlers in its own `jobs` module (providers/jobs.py); importing
        # them here is what lets a worker run a job of any kind.
        autodiscover_modules("jobs")
