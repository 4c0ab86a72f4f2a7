"""Settings for the test suite: real PostgreSQL and Redis on this machine by default."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talkingmoves")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
DEMO_DATA_ALLOWED = True
# Demo data and seed_demo: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "talkingmoves.demo"]  # noqa: F405
# A fast hasher keeps the suite quick; production uses Argon2 (tested separately).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Rate-limit counts are a database table that live-server tests do not roll back; tests of
# the limits set their own low values.
NUDGE_LINK_RATE_LIMIT = 1000
SELF_COMPLETION_RATE_LIMIT = 1000
# The shared send bucket is off unless a test turns it on (with its own key): tests running
# side by side must not slow each other's sends down.
NUDGE_SEND_RATE_PER_MINUTE = int(os.environ.get("NUDGE_SEND_RATE_PER_MINUTE", "0"))
NUDGE_SEND_BUCKET_KEY = os.environ.get(
    "NUDGE_SEND_BUCKET_KEY",
    "send-bucket-" + os.environ.get("PYTEST_XDIST_WORKER", "main"),
)
# Figures computed fresh on every request; the cache has its own test.
DASHBOARD_CACHE_SECONDS = 0
ORUK_INDEX_CACHE_SECONDS = 0
# Each pytest-xdist worker counts its own rate limits: a test that clears the counts must
# not clear another worker's in the middle of its test.
if CACHES["ratelimit"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["ratelimit"]["KEY_PREFIX"] = "ratelimit-" + os.environ.get(  # noqa: F405
        "PYTEST_XDIST_WORKER", "main"
    )
