"""Settings for `make bench`: the local settings (demo app, plain static files, no secrets
needed) made production-like where it changes a page's cost. DEBUG off (DEBUG keeps every
query in memory and renders templates with debug information), templates through the
cached loader as production's defaults give, production's JSON request log (written to
/dev/null, so the bench's table stays readable, but still formatted per request), and the
same caches as production (base.py: local memory, Redis for rate limits, the database for
the dashboards' figures)."""

import os

from talkingmoves.core.request_log import json_logging

from .local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1"]
TEMPLATES = [
    {
        **TEMPLATES[0],  # noqa: F405
        "APP_DIRS": False,
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],  # noqa: F405
            # What Django uses when DEBUG is off and no loaders are given, said out loud.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]
LOGGING = json_logging(env_str("LOG_LEVEL", default="INFO"))  # noqa: F405
LOGGING["handlers"]["stdout"] = {
    "class": "logging.FileHandler",
    "filename": os.devnull,
    "formatter": "json",
}
# One signed link is opened once per run: production's limit (20 per 10 minutes per link)
# would turn the answer page into a 429 after the first runs.
NUDGE_LINK_RATE_LIMIT = 1_000_000
SELF_COMPLETION_RATE_LIMIT = 1_000_000
