"""Settings for the nudge benchmark's variant worker: the test settings (DEBUG off), with each
pool process reserving several send tasks at a time instead of one, to see how much of the
per-task cost is the round trip to the broker between tasks."""

from talkingmoves.settings.test import *  # noqa: F403

CELERY_WORKER_PREFETCH_MULTIPLIER = 8
