"""A task sent through a real broker is run by a real Celery worker: Redis (the production
broker) and kombu's filesystem transport (the zero-setup default)."""

import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from talkingmoves.celery import app as project_app
from talkingmoves.core.models import WorkerHeartbeat
from talkingmoves.core.tasks import record_worker_heartbeat

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _wait_for_heartbeat(timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        heartbeat = WorkerHeartbeat.objects.first()
        if heartbeat is not None:
            return heartbeat
        time.sleep(0.1)
    return None


def test_task_through_redis_runs_on_a_real_worker():
    assert project_app.conf.broker_url.startswith("redis://")
    with start_worker(project_app, perform_ping_check=False, loglevel="WARNING"):
        record_worker_heartbeat.delay()
        heartbeat = _wait_for_heartbeat()
    assert heartbeat is not None, "the worker never ran the task"


def test_task_through_filesystem_transport_runs_on_a_real_worker(tmp_path):
    queue = tmp_path / "queue"
    queue.mkdir()
    (tmp_path / "processed").mkdir()
    app = Celery("talkingmoves-filesystem-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(tmp_path / "processed"),
    }
    app.autodiscover_tasks(lambda: settings.INSTALLED_APPS, force=True)
    task = app.tasks["talkingmoves.core.tasks.record_worker_heartbeat"]
    with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
        task.delay()
        heartbeat = _wait_for_heartbeat()
    assert heartbeat is not None, "the worker never ran the task"


def test_tasks_are_sent_only_when_the_transaction_commits():
    from talkingmoves.core.queue import enqueue_on_commit

    with start_worker(project_app, perform_ping_check=False, loglevel="WARNING"):
        try:
            with transaction.atomic():
                enqueue_on_commit(record_worker_heartbeat)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        time.sleep(1.5)
        assert not WorkerHeartbeat.objects.exists(), "a rolled-back enqueue was sent"

        with transaction.atomic():
            enqueue_on_commit(record_worker_heartbeat)
        assert _wait_for_heartbeat() is not None
