"""One log line per request and per Celery task, in JSON under production settings, with
nothing personal in it: the route's name (never the path, which can carry a link's token),
a keyed hash of the user's id (never the id, name or email), the status and the time taken.

The request id comes from the load balancer's X-Request-ID when it looks like one, otherwise
a new one; it is on every log line written during the request and in the response's
X-Request-ID header, so a user's report can be matched to the logs.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.utils.crypto import salted_hmac

from talkingmoves.core.pii import scrub_text

request_log = logging.getLogger("talkingmoves.requests")
task_log = logging.getLogger("talkingmoves.tasks")

current_request_id: ContextVar[str] = ContextVar("request_id", default="")
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"


def pseudonym(user_pk) -> str:
    """The same for one user on every line, meaningless without SECRET_KEY (rotating the key
    changes every pseudonym)."""
    return salted_hmac("talkingmoves.logs.user", str(user_pk)).hexdigest()[:16]


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match and match.view_name:
        return match.view_name
    # WhiteNoise answers before URL resolution.
    return "static" if request.path.startswith(settings.STATIC_URL) else "unresolved"


def _user(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return pseudonym(user.pk)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            route, status = _route(request), response.status_code
            request_log.info(
                "%s %s %s %sms",
                request.method,
                route,
                status,
                duration_ms,
                extra={
                    "event": "request",
                    "request_id": request_id,
                    "method": request.method,
                    "route": route,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user": _user(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


# --- Celery: task_prerun/task_postrun (connected in talkingmoves/celery.py) ---------------

_task_started: dict[str, float] = {}


def task_started(task_id=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


def task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    name = getattr(task, "name", "unknown")
    task_log.info(
        "%s %s %sms",
        name,
        state,
        duration_ms,
        extra={
            "event": "task",
            "task": name,
            "task_id": task_id,
            "state": state,
            "duration_ms": duration_ms,
        },
    )


# --- JSON lines ----------------------------------------------------------------------------

_FIELDS = ("event", "request_id", "method", "route", "status", "duration_ms", "user")
_FIELDS += ("task", "task_id", "state")


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Messages and tracebacks are scrubbed of anything shaped
    like an NHS number, email address or phone number (an exception can quote a row)."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_text(record.getMessage()),
        }
        request_id = current_request_id.get()
        if request_id:
            line["request_id"] = request_id
        for field in _FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = scrub_text(self.formatException(record.exc_info))
        return json.dumps(line, default=str)


def json_logging(level: str) -> dict:
    """The LOGGING setting for production: JSON lines on stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "talkingmoves.core.request_log.JsonFormatter"}},
        "filters": {"link_tokens": {"()": "talkingmoves.core.log_redaction.RedactLinkTokens"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "django.request": {"filters": ["link_tokens"]},
            # Celery's own "Task ... succeeded in ...: <return value>" lines would repeat ours
            # and could print a task's result.
            "celery.app.trace": {"level": "WARNING"},
        },
    }
