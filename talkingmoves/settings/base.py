"""Settings shared by every environment. Environment-specific modules import from here."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("TALKINGMOVES_DATA_DIR", str(BASE_DIR / ".data")))

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "talkingmoves.core.apps.TalkingMovesAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "talkingmoves.accounts",
    "talkingmoves.audit",
    "talkingmoves.notify",
    "talkingmoves.core",
    "talkingmoves.forms",
    "talkingmoves.jobs",
    "providers",
    "referrals",
    "referrals.nudges",
    "outcomes",
    "outcomes.dashboards",
    # Request, response and database metrics for /metrics (talkingmoves/core/metrics.py).
    "django_prometheus",
]

MIDDLEWARE = [
    # First: answers the load balancer's /healthz and /readyz before the HTTPS redirect,
    # the host check, sessions or sign-in (talkingmoves/core/probes.py).
    "talkingmoves.core.probes.ProbeMiddleware",
    # One log line per request (route name, status, time; no personal data) and the
    # X-Request-ID header (talkingmoves/core/request_log.py). After the probes: not logged.
    "talkingmoves.core.request_log.RequestLogMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the session's device by a compiled statement (as the session
    # store and the sign-in backend read theirs: talkingmoves/accounts/signed_in_reads.py).
    "talkingmoves.accounts.middleware.CompiledOTPMiddleware",
    "talkingmoves.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "talkingmoves.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "talkingmoves.urls"
WSGI_APPLICATION = "talkingmoves.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talkingmoves.core.context_processors.navigation",
                "talkingmoves.core.context_processors.messages_not_sent",
            ],
        },
    },
]

# --- Database: PostgreSQL when DATABASE_URL is set, otherwise an SQLite file under .data/.
# Connection reuse, timeouts, PgBouncer and the read replica: settings/database.py.
from .database import DATABASE_ROUTERS, databases  # noqa: E402, F401

DATABASES = databases(DATA_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "talkingmoves.accounts.backends.UserWithOrganisationBackend",
    # Sessions started before the backend above name this one (accounts/backends.py).
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Lock an account for 15 minutes after 5 failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# --- Sign-in lockout (issue 13 item 9; talkingmoves/accounts/lockout.py): the limit above
# counts per account at one address, so nobody can lock a clinician out from elsewhere; and
# one address is capped across all accounts, higher, because a trust's staff share addresses.
AXES_LOCKOUT_PARAMETERS = "talkingmoves.accounts.lockout.lockout_parameters"
SIGN_IN_FAILURES_PER_ADDRESS = env_int("SIGN_IN_FAILURES_PER_ADDRESS", 50)
# The address the outermost trusted proxy saw (TRUSTED_PROXY_HOPS), as the rate limits use.
AXES_CLIENT_IP_CALLABLE = "talkingmoves.core.ratelimit.client_address"
# Axes' log lines name a client by a keyed hash, not its email address.
AXES_CLIENT_STR_CALLABLE = "talkingmoves.accounts.lockout.client_str"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "talkingmoves.accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# Two-factor (django-otp). Roles that see clinical data must verify a TOTP code.
OTP_TOTP_ISSUER = "TalkingMoves"
IDLE_TIMEOUT_SECONDS = env_int("IDLE_TIMEOUT_SECONDS", 30 * 60)
IDLE_WARNING_SECONDS = env_int("IDLE_WARNING_SECONDS", 25 * 60)

SESSION_ENGINE = "talkingmoves.accounts.session_store"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files: NHS.UK frontend is copied into static/vendor by `npm run build`.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = False
# Django's widget markup, with inputs, selects and textareas written in Python (no template
# render per <option>).
FORM_RENDERER = "talkingmoves.forms.renderer.NHSFormRenderer"

# --- Security headers (production tightens further)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere: every page's JavaScript is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Celery: Redis when CELERY_BROKER_URL is set, otherwise kombu's filesystem transport.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", default="") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = DATA_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Exchange tables (the worker's control channel), which kombu 5.7 otherwise writes
        # to ./control in the checkout.
        "control_folder": str(_broker_dir / "control"),
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
# Queues, routes by task name, each task's limits and redelivery, broker timeouts (ADR 009).
from .workers import *  # noqa: E402, F403
from .workers import REDIS_BROKER_OPTIONS  # noqa: E402

if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_OPTIONS
CELERY_TASK_ALWAYS_EAGER = False
# Keep each worker process's database connection between tasks (Celery's Django fix-up
# otherwise reconnects for every task, which halved nudge throughput). Broken or old
# connections are still closed before each task (talkingmoves/celery.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# What beat starts, and when: settings/beat.py.
from .beat import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

# --- Messages: GOV.UK Notify when NOTIFY_API_KEY is set; otherwise stored in the database.
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
# One Notify SMS template whose whole content is ((body)); the email one is ((subject)) / ((body)).
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", default="")
# Bearer token Notify sends with delivery-status callbacks (set the same value in Notify).
NOTIFY_CALLBACK_TOKEN = env_str("NOTIFY_CALLBACK_TOKEN", default="")
# Production requires Notify unless MESSAGES_DELIVERY=store (settings/production.py), and then
# warns every signed-in page that messages are not being sent.
MESSAGES_DELIVERY = "notify" if NOTIFY_API_KEY else "store"
MESSAGES_NOT_SENT_WARNING = False
# Dotted path to a gateway class, overriding the choice above (tests only).
MESSAGE_GATEWAY = env_str("MESSAGE_GATEWAY", default="")
# How long a send task may hold a nudge before the dispatcher hands it out again.
NUDGE_LEASE_SECONDS = env_int("NUDGE_LEASE_SECONDS", default=300)
# Every worker together sends at most this many messages a minute, with bursts of at most
# NUDGE_SEND_BURST, through one token bucket in Redis (talkingmoves/notify/ratelimit.py).
# GOV.UK Notify allows 3,000 a minute per API key (its own bucket: 50 a second, bursts of
# about 1,000); ours stays a little under it. 0 lifts the limit (benchmarks).
NUDGE_SEND_RATE_PER_MINUTE = env_int("NUDGE_SEND_RATE_PER_MINUTE", default=2940)
NUDGE_SEND_BURST = env_int("NUDGE_SEND_BURST", default=500)
NUDGE_SEND_BUCKET_KEY = "talkingmoves:notify:send-bucket"
NUDGE_RATE_LIMIT_REDIS_URL = env_str(
    "NUDGE_RATE_LIMIT_REDIS_URL",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
# Bearer token Notify sends with received-text-message callbacks (replies to our texts).
NOTIFY_INBOUND_CALLBACK_TOKEN = env_str("NOTIFY_INBOUND_CALLBACK_TOKEN", default="")
# Public link pages' rate limits count in Redis (an atomic INCR on a key with an expiry),
# shared by every web process; talkingmoves/core/ratelimit.py says what happens when Redis is
# down. Without Redis (local runs on the filesystem broker) each process counts for itself.
RATELIMIT_REDIS_URL = env_str(
    "RATELIMIT_REDIS_URL",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": RATELIMIT_REDIS_URL,
            "KEY_PREFIX": "ratelimit",
            # The window, counted from a key's first hit.
            "TIMEOUT": 10 * 60,
            # A Redis that does not answer costs a request half a second, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if RATELIMIT_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
    ),
    # The lead dashboard's figures (outcomes/dashboard_figures.py).
    "dashboards": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "talkingmoves_dashboards",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
# How long the lead dashboard's figures are kept; beat recomputes the default period sooner.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", default=15 * 60)
# How long an ORUK /services search's total and page anchors are kept (per web process):
# deep pages seek instead of counting past every page before them (open_data/selectors.py).
ORUK_INDEX_CACHE_SECONDS = env_int("ORUK_INDEX_CACHE_SECONDS", default=60)
# Proxies in front of the web servers that append to X-Forwarded-For (0: none; the
# address the server sees is the client's).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", default=0)
# Requests to a message link's pages per 10 minutes, per address and per link.
NUDGE_LINK_RATE_LIMIT = env_int("NUDGE_LINK_RATE_LIMIT", default=20)
# The same for a service user's questionnaire link.
SELF_COMPLETION_RATE_LIMIT = env_int("SELF_COMPLETION_RATE_LIMIT", default=30)
EMAIL_BACKEND = "talkingmoves.notify.mail.GatewayEmailBackend"
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", default="TalkingMoves <noreply@talkingmoves.test>"
)

# Bearer token for /metrics (Prometheus); unset, the path answers 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", default="")

# Demo data may only be created where this is true (never in production).
DEMO_DATA_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # "Not Found: /n/<token>/" would put a signed link's token in the log.
    "filters": {"link_tokens": {"()": "talkingmoves.core.log_redaction.RedactLinkTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django.request": {"filters": ["link_tokens"]}},
}

SERVICE_NAME = "TalkingMoves"
# The site's own address, for links in emails (no trailing slash).
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEBUG_TOOLBAR = env_bool("DEBUG_TOOLBAR", False)
LISTING_STALE_AFTER = timedelta(days=env_int("LISTING_STALE_AFTER_DAYS", 183))

# --- Jobs (talkingmoves/jobs, ADR 008): long work in workers, with progress.
# A running job with no heartbeat for this long lost its worker: started again once, then
# failed. Handlers report progress at least every few seconds.
JOBS_STALE_AFTER_SECONDS = env_int("JOBS_STALE_AFTER_SECONDS", default=5 * 60)

# --- Error pages and public notices (talkingmoves/core/errors.py, core/notices.py)
CSRF_FAILURE_VIEW = "talkingmoves.core.errors.csrf_failure"
# Who reads reports of accessibility problems; a blank one shows as a marked placeholder on
# the accessibility statement. Move the dates on after each accessibility review.
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", default="")
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE", default="")
ACCESSIBILITY_STATEMENT_PREPARED = "5 December 2026"
ACCESSIBILITY_STATEMENT_REVIEWED = "5 December 2026"
# The privacy notice is a template the trust (the data controller) completes: each blank
# value shows on /privacy/ as a marked placeholder naming its variable.
PRIVACY_CONTROLLER_NAME = env_str("PRIVACY_CONTROLLER_NAME", default="")
PRIVACY_CONTROLLER_ADDRESS = env_str("PRIVACY_CONTROLLER_ADDRESS", default="")
PRIVACY_DPO_CONTACT = env_str("PRIVACY_DPO_CONTACT", default="")
PRIVACY_RETENTION = env_str("PRIVACY_RETENTION", default="")
PRIVACY_NOTICE_UPDATED = env_str("PRIVACY_NOTICE_UPDATED", default="")
