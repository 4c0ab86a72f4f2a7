"""The test settings, plus the kernel tests' handlers, for a real Celery worker."""

from talkingmoves.settings.test import *  # noqa: F403

CELERY_IMPORTS = ["tests.jobs.handlers"]
