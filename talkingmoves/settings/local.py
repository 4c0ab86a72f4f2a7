"""Settings for `make run` on a developer's machine: zero set-up, never for real data."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", default="local-development-only-not-secret")
DEMO_DATA_ALLOWED = True
# Demo data and seed_demo: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "talkingmoves.demo"]  # noqa: F405
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
