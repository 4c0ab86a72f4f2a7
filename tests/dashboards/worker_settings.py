"""The test settings for a real Celery worker that keeps the dashboards' figures."""

from talkingmoves.settings.test import *  # noqa: F403

DASHBOARD_CACHE_SECONDS = 600
