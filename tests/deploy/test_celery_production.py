"""Celery for production: every registered task has a queue route and time limits, decided
in one table (talkingmoves/settings/workers.py) and written down in ADR 009; the Procfile's
worker groups drain every queue, messages on their own; a real messages worker sends due
nudges while the imports queue is backed up."""

import subprocess
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
import redis
from django.conf import settings

from providers.openactive.tasks import harvest_feed
from talkingmoves.celery import app as project_app
from talkingmoves.settings.workers import (
    QUEUES,
    TASK_POLICIES,
    TASK_ROUTES_BY_NAME,
    VISIBILITY_TIMEOUT,
)
from tests.factories import with_duty_contact
from tests.nudges.test_reliability import assert_each_sent_once, wait_all_sent
from tests.nudges.workers import due_nudges

from .conftest import production_environment

ROOT = Path(__file__).resolve().parents[2]
ADR = (ROOT / "docs" / "adr" / "009-celery-and-database-in-production.md").read_text()


def _registered_tasks() -> dict:
    project_app.loader.import_default_modules()
    tasks = project_app.tasks.items()
    return {name: task for name, task in tasks if not name.startswith("celery.")}


def _route(name: str) -> str | None:
    return next(
        (queue for pattern, queue in TASK_ROUTES_BY_NAME.items() if fnmatchcase(name, pattern)),
        None,
    )


def _audit(tasks: dict) -> list[str]:
    problems = []
    for name, task in sorted(tasks.items()):
        queue, policy = _route(name), TASK_POLICIES.get(name)
        if queue is None:
            problems.append(f"{name}: no route in TASK_ROUTES_BY_NAME")
        elif project_app.amqp.router.route({}, name)["queue"].name != queue:
            problems.append(f"{name}: Celery does not route it to {queue}")
        if policy is None:
            problems.append(f"{name}: no time limits or redelivery decision in TASK_POLICIES")
            continue
        if not 0 < policy["soft_time_limit"] < policy["time_limit"]:
            problems.append(f"{name}: the soft limit must come before the hard one")
        applied = (task.soft_time_limit, task.time_limit, task.acks_late)
        if applied != (policy["soft_time_limit"], policy["time_limit"], policy["acks_late"]):
            problems.append(f"{name}: the task overrides its policy: {applied}")
        if task.acks_late != task.reject_on_worker_lost:
            problems.append(f"{name}: acks_late and reject_on_worker_lost go together")
        if task.acks_late and task.time_limit >= VISIBILITY_TIMEOUT:
            problems.append(f"{name}: Redis would hand it to a second worker while it runs")
        row = (
            f"| `{name}` | {queue} | {policy['soft_time_limit']} | {policy['time_limit']} | "
            f"{'yes' if policy['acks_late'] else 'no'} |"
        )
        if row not in ADR:
            problems.append(f"{name}: ADR 009's audit table needs the row {row}")
    return problems


def test_every_task_is_audited():
    tasks = _registered_tasks()
    assert len(tasks) >= 11
    problems = _audit(tasks)
    assert not problems, "\n".join(problems)


def test_the_audit_catches_a_task_nobody_decided_about():
    @project_app.task(name="talkingmoves.core.tasks_unaudited.tidy", shared=False)
    def tidy():
        pass

    try:
        assert _audit({tidy.name: tidy}) == [
            f"{tidy.name}: no route in TASK_ROUTES_BY_NAME",
            f"{tidy.name}: no time limits or redelivery decision in TASK_POLICIES",
        ]
    finally:
        project_app.tasks.unregister(tidy.name)


def test_every_decision_has_a_route():
    assert [name for name in TASK_POLICIES if _route(name) is None] == []


def test_nothing_is_redelivered_unless_its_policy_says_so():
    assert settings.CELERY_TASK_ACKS_LATE is False
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is False
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "default"


def test_the_broker_connection_retries_and_times_out():
    conf = project_app.conf
    assert conf.broker_connection_retry_on_startup is True
    assert conf.broker_connection_timeout == 5
    options = conf.broker_transport_options
    assert options["visibility_timeout"] == VISIBILITY_TIMEOUT
    assert options["socket_timeout"] == 10
    assert options["socket_connect_timeout"] == 5


def _procfile_workers() -> dict[str, list[str]]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = dict(line.split(": ", 1) for line in lines if line.strip())
    return {
        name: command.split()[1].split(",")
        for name, command in entries.items()
        if command.startswith("scripts/worker")
    }


def test_every_queue_has_a_worker_and_messages_has_its_own():
    workers = _procfile_workers()
    consumed = [queue for queues in workers.values() for queue in queues]
    assert sorted(consumed) == sorted(QUEUES)  # each queue drained, by one group
    assert ["messages"] in workers.values()
    assert set(TASK_ROUTES_BY_NAME.values()) <= set(QUEUES)


def test_the_worker_script_refuses_a_queue_it_does_not_know():
    result = subprocess.run(
        [ROOT / "scripts" / "worker", "messages,mesages"],
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown queue 'mesages'" in result.stderr


@pytest.mark.celery_worker
def test_a_backed_up_imports_queue_does_not_delay_a_nudge(
    service, clinician, processes, redis_server, tmp_path
):
    with_duty_contact(service)
    for feed_id in range(50):
        harvest_feed.delay(feed_id)
    broker = redis.Redis.from_url(redis_server.url)
    assert broker.llen("imports") == 50
    # The messages worker group as the Procfile runs it: scripts/worker, production settings
    # (storing messages, as staging does).
    env = {name: "" for name in production_environment() if name.startswith("NOTIFY_")}
    worker = processes.script(
        "scripts/worker", "messages", log=tmp_path / "worker.log", MESSAGES_DELIVERY="store", **env
    )
    ids = [n.pk for n in due_nudges(10, clinician=clinician)]

    wait_all_sent(ids, timeout=90, dispatch=True)
    assert_each_sent_once(ids)
    assert worker.poll() is None, (tmp_path / "worker.log").read_text()
    assert broker.llen("imports") == 50  # untouched: another group's work
