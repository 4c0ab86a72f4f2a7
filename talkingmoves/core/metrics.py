"""Prometheus metrics at /metrics, behind a bearer token (METRICS_TOKEN; unset: 404).

django-prometheus's request, response and database metrics (labelled by view name, never
by path or user), plus gauges an on-call person needs, computed at scrape time: each app's
figures (hooks.on_call_figures), the length of each Celery queue in Redis, and failed jobs
when the jobs app is installed. Counts and ages only: nothing personal.
"""

import hmac
import os
from datetime import timedelta

import prometheus_client
import redis
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from talkingmoves.core import hooks

# The queues issue 13 separates work into; any others configured are counted too.
QUEUES = ("messages", "imports", "reports", "default")
CONTENT_TYPE = prometheus_client.CONTENT_TYPE_LATEST


def bearer_token_valid(request) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    expected = settings.METRICS_TOKEN.encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected)


def _queue_names() -> list[str]:
    configured = getattr(settings, "CELERY_TASK_QUEUES", None) or []
    names = {getattr(queue, "name", queue) for queue in configured}
    names.add(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery"))
    return sorted(names | set(QUEUES))


def _queue_lengths():
    broker_up = GaugeMetricFamily("talkingmoves_broker_up", "1 when Redis answered the scrape.")
    lengths = GaugeMetricFamily(
        "talkingmoves_queue_length", "Tasks waiting in each Celery queue.", labels=["queue"]
    )
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return []
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        with client.pipeline(transaction=False) as pipe:
            names = _queue_names()
            for name in names:
                pipe.llen(name)
            for name, length in zip(names, pipe.execute(), strict=True):
                lengths.add_metric([name], length)
        broker_up.add_metric([], 1)
        return [broker_up, lengths]
    except redis.RedisError:
        broker_up.add_metric([], 0)
        return [broker_up]
    finally:
        client.close()


def _failed_jobs():
    """The background-job framework is its own app; counted only when it is installed."""
    config = next((c for c in apps.get_app_configs() if c.name == "talkingmoves.jobs"), None)
    if config is None:
        return []
    failed = config.get_model("Job").objects.filter(state="failed")
    try:
        count = failed.filter(finished_at__gte=timezone.now() - timedelta(hours=24)).count()
    except FieldError:
        count = failed.count()
    return [GaugeMetricFamily("talkingmoves_jobs_failed", "Failed background jobs.", value=count)]


class OnCallCollector:
    def collect(self):
        for name, (documentation, value) in sorted(hooks.on_call_figures.merged().items()):
            yield GaugeMetricFamily(f"talkingmoves_{name}", documentation, value=value)
        yield from _queue_lengths()
        yield from _failed_jobs()


_on_call = CollectorRegistry(auto_describe=False)
_on_call.register(OnCallCollector())


def exposition() -> bytes:
    """This process's django-prometheus metrics (or every gunicorn worker's, when
    PROMETHEUS_MULTIPROC_DIR is set), then the on-call gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    return generate_latest(registry) + generate_latest(_on_call)
