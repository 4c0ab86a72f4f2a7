"""Production settings: fail closed. Every value without a safe default must be set."""

from django.core.exceptions import ImproperlyConfigured

from talkingmoves.core.request_log import json_logging
from talkingmoves.core.sentry import init_sentry

from .base import *  # noqa: F403
from .env import env_bool, env_choice, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", default=[])
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
if not env_str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "Set the DATABASE_URL environment variable to the PostgreSQL database "
        "(see docs/configuration.md). Production never falls back to SQLite."
    )
if not env_str("CELERY_BROKER_URL", default=""):
    raise ImproperlyConfigured(
        "Set the CELERY_BROKER_URL environment variable to the Redis broker "
        "(see docs/configuration.md)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
SITE_URL = env_str("SITE_URL").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must start with https:// in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# TLS ends at the load balancer, which says so in X-Forwarded-Proto. Switch this off when
# clients can reach the web servers directly: then anyone could send the header.
if env_bool("TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
DEMO_DATA_ALLOWED = False

# Messages go through GOV.UK Notify. A staging site may store them instead, but only when it
# says so; every signed-in page then warns that nothing is being sent.
MESSAGES_DELIVERY = env_choice("MESSAGES_DELIVERY", ("notify", "store"), default="notify")
if MESSAGES_DELIVERY == "notify":
    _store = "or MESSAGES_DELIVERY=store to store messages without sending them (staging only)"
    NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", otherwise=_store)
    NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", otherwise=_store)
    NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", otherwise=_store)
    NOTIFY_CALLBACK_TOKEN = env_str("NOTIFY_CALLBACK_TOKEN", otherwise=_store)
elif NOTIFY_API_KEY:
    raise ImproperlyConfigured(
        "MESSAGES_DELIVERY=store stores messages instead of sending them, but NOTIFY_API_KEY "
        "is set: unset one of them."
    )
MESSAGES_NOT_SENT_WARNING = MESSAGES_DELIVERY == "store"

# --- Observability (docs/deploy.md "Logs, errors and metrics"; ADR 010) --------------------
# JSON lines on stdout: one per request and per task, no personal data.
LOGGING = json_logging(env_str("LOG_LEVEL", default="INFO"))
# The worker keeps this logging instead of replacing the root logger's handlers with its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Error reports to Sentry only when SENTRY_DSN is set, with personal data scrubbed.
SENTRY_DSN = env_str("SENTRY_DSN", default="")
init_sentry(
    SENTRY_DSN,
    environment=env_str("SENTRY_ENVIRONMENT", default="production"),
    release=env_str("SENTRY_RELEASE", default=""),
    traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", default="0")),
)
