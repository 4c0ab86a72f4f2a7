"""Settings for the nudge benchmark's second worker: the test settings (DEBUG off), plus
Celery keeping each pool process's database connection between tasks. Without
CELERY_DB_REUSE_MAX, Celery's Django fix-up closes the connection before and after every
task, so each send pays for a new PostgreSQL connection and a cold catalogue cache."""

from talkingmoves.settings.test import *  # noqa: F403

CELERY_DB_REUSE_MAX = 1000
