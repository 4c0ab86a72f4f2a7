"""Real processes for the reliability tests and the nudge benchmark: a private redis-server,
Celery workers as subprocesses of `celery -A talkingmoves worker`, and due nudges in bulk.

Each process starts in its own session, so stopping or killing one takes its pool children
with it (a SIGKILL to the whole group is what a crashed or OOM-killed worker looks like).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from kombu import pools

from talkingmoves.settings.workers import QUEUES  # every queue unless a test names some

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, message=""):
    """Poll until `predicate()` is truthy and return its value; fail after `timeout`.
    `message` may be a callable, to describe the state at the time of failure."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            described = message() if callable(message) else message
            raise AssertionError(f"Timed out after {timeout:.0f} s: {described or predicate}")
        time.sleep(interval)


def _stop_group(process: subprocess.Popen, *, grace: float) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


class RedisServer:
    """A throwaway redis-server on a free port: nothing persisted, nothing shared."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self._ping, timeout=10, message=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process, grace=5)
            self.process = None
        wait_until(lambda: not self._ping(), timeout=5, message="redis-server to stop")


def database_url(database: dict) -> str:
    """A DATABASE_URL for a Django DATABASES entry (the test database at test time)."""
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


class Worker:
    """`celery -A talkingmoves worker` as a subprocess, pointed at a database and a broker."""

    def __init__(
        self,
        *,
        name: str,
        database_url: str,
        broker_url: str,
        log_dir: Path,
        concurrency: int | None = 2,
        settings_module: str = "talkingmoves.settings.test",
        env: dict | None = None,
        loglevel: str = "warning",
        queues: tuple[str, ...] = QUEUES,
    ):
        self.name = name
        self.queues = queues
        self.hostname = f"{name}@{socket.gethostname()}"
        self.logfile = Path(log_dir) / f"{name}.log"
        self.concurrency = concurrency
        self.loglevel = loglevel
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        command = [str(CELERY), "-A", "talkingmoves", "worker", "--pool", "prefork"]
        if self.concurrency:
            command += ["-c", str(self.concurrency)]
        command += [
            "-Q",
            ",".join(self.queues),
            "--without-gossip",
            "--without-mingle",
            "-l",
            self.loglevel,
            "-n",
            self.hostname,
            "--logfile",
            str(self.logfile),
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def wait_ready(self, app, *, timeout: float = 30) -> "Worker":
        """Until the worker answers a ping through the broker (it is consuming by then)."""

        def answered():
            if self.process.poll() is not None:
                raise AssertionError(f"Worker {self.name} exited:\n{self.log()}")
            return app.control.ping(destination=[self.hostname], timeout=0.5)

        wait_until(answered, timeout=timeout, interval=0, message=f"worker {self.name} ready")
        return self

    def caught(self, predicate, *, timeout: float = 60):
        """Wait, polling often, until `predicate()` holds while this worker still runs: the
        moment to kill it. Fails with its log if it exits first."""

        def check():
            if not self.running:
                raise AssertionError(f"Worker {self.name} exited:\n{self.log()}")
            return predicate()

        return wait_until(
            check, timeout=timeout, interval=0.005, message=f"worker {self.name} caught"
        )

    def log(self) -> str:
        return self.logfile.read_text() if self.logfile.exists() else ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the worker and its pool children at once: no warm shutdown, no acks."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown: SIGTERM to the group, then SIGKILL if it has not gone."""
        if self.process is not None:
            _stop_group(self.process, grace=15)


def use_broker(app, url: str | None) -> None:
    """Point the Celery app (and its cached connection pools) at another broker, or back at
    its configured one with None. The read and write URLs are set because Celery prefers the
    CELERY_BROKER_URL environment variable to `broker_url`."""
    app.conf.broker_read_url = url
    app.conf.broker_write_url = url
    # Closes every pool and forgets them: kombu keeps pools by broker address, and would
    # otherwise hand a closed one back to the next user of the same address.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def due_nudges(count: int, *, clinician, due_at=None, template: str = "measures_request"):
    """`count` service users who consent to email, each with one nudge due now.

    One message per person, as a real day's outbox would be: a person with several due
    at once would be deferred by the one-message-a-day rule, which is not under test here.
    """
    from django.utils import timezone

    from referrals.models import ServiceUser
    from referrals.nudges.models import Nudge

    now = timezone.now()
    people = ServiceUser.objects.bulk_create(
        ServiceUser(
            service_id=clinician.organisation_id,
            assigned_clinician=clinician,
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            email=f"nudge.person{n}@example.com",
            consent_email_at=now,
            consent_email_by=clinician,
        )
        for n in range(count)
    )
    return Nudge.objects.bulk_create(
        Nudge(
            service_id=clinician.organisation_id,
            audience=Nudge.Audience.SERVICE_USER,
            template=template,
            service_user=person,
            link_path="/questionnaire/",
            due_at=due_at or now,
        )
        for person in people
    )
