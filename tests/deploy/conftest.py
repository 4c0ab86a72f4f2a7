"""Real processes for the production Celery tests (test_celery_production.py, test_beat.py):
a private redis-server per test, so queue lengths and beat's lock touch nobody else, and the
process scripts started as a platform starts them."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from talkingmoves.celery import app as project_app
from tests.core.test_production_settings import GOOD_ENV
from tests.nudges.workers import RedisServer, Worker, database_url, use_broker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    use_broker(project_app, server.url)
    yield server
    use_broker(project_app, None)
    server.stop()


def production_environment(**overrides) -> dict[str, str]:
    """This environment with the production variables of GOOD_ENV, as scripts/* get it."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD_ENV and not k.startswith(("DJANGO_", "PYTEST_", "MESSAGES_"))
    }
    return {**inherited, **GOOD_ENV, **overrides}


@pytest.fixture
def processes(transactional_db, redis_server, tmp_path):
    """Start scripts with `processes.script(...)` and workers with `processes.worker(...)`;
    everything started is gone before the database is flushed."""

    class Started:
        def __init__(self):
            self.workers: list[Worker] = []
            self.scripts: list[subprocess.Popen] = []

        def worker(self, name, *, queues):
            worker = Worker(
                name=name,
                database_url=database_url(connection.settings_dict),
                broker_url=redis_server.url,
                log_dir=tmp_path,
                settings_module=os.environ["DJANGO_SETTINGS_MODULE"],
                queues=queues,
            )
            self.workers.append(worker)
            return worker.start().wait_ready(project_app)

        def script(self, *command, log: Path, **env) -> subprocess.Popen:
            environment = production_environment(
                DATABASE_URL=database_url(connection.settings_dict),
                CELERY_BROKER_URL=redis_server.url,
                **env,
            )
            with log.open("w") as out:
                process = subprocess.Popen(
                    [ROOT / command[0], *command[1:]],
                    env=environment,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            self.scripts.append(process)
            return process

    started = Started()
    yield started
    for worker in started.workers:
        worker.kill()
    for process in started.scripts:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)
