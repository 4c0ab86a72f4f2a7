"""Exactly one active beat, however many are started: two real `scripts/beat` processes under
production settings (celery-redbeat, its lock in a real Redis) put the due-nudge dispatcher on
the queue, a real worker sends; one beat holds the lock and sends every scheduled task, the
other waits, and takes over when the first is killed. Each due nudge goes out once."""

import os
import signal

import pytest

from referrals.nudges.models import Nudge
from tests.factories import with_duty_contact
from tests.nudges.test_reliability import assert_each_sent_once, wait_all_sent
from tests.nudges.workers import due_nudges, wait_until

pytestmark = pytest.mark.celery_worker

ACQUIRED = "beat: Acquired lock"
SENT = "Sending due task dispatch-due-nudges"
# Production settings with only the dispatcher, due every second, and a lock that lapses
# three seconds after its holder stops extending it: the failover happens within the test.
BEAT_SETTINGS = """\
from talkingmoves.settings.production import *  # noqa

CELERY_BEAT_SCHEDULE = {
    "dispatch-due-nudges": {
        "task": "referrals.nudges.tasks.dispatch_due_nudges",
        "schedule": 1.0,
    },
}
CELERY_REDBEAT_LOCK_TIMEOUT = 3
CELERY_BEAT_MAX_LOOP_INTERVAL = 1
"""


@pytest.fixture
def start_beat(processes, tmp_path):
    (tmp_path / "beat_settings.py").write_text(BEAT_SETTINGS)

    def start(name):
        log = tmp_path / f"beat-{name}.log"
        process = processes.script(
            "scripts/beat",
            log=log,
            DJANGO_SETTINGS_MODULE="beat_settings",
            PYTHONPATH=str(tmp_path),
            LOG_LEVEL="INFO",
        )
        return process, log

    return start


def test_two_beats_send_each_due_nudge_once_and_the_second_takes_over(
    service, clinician, processes, start_beat
):
    with_duty_contact(service)  # without one, nothing goes to service users
    first = [n.pk for n in due_nudges(20, clinician=clinician)]
    processes.worker("messages", queues=("messages",))
    beats = {name: start_beat(name) for name in ("a", "b")}

    def logs():
        return {name: log.read_text() for name, (_, log) in beats.items()}

    def holder():
        holding = [name for name, text in logs().items() if ACQUIRED in text]
        for process, log in beats.values():
            assert process.poll() is None, log.read_text()
        return holding

    active = wait_until(holder, timeout=60, message=logs)
    assert len(active) == 1, logs()
    active, standby = active[0], ({"a", "b"} - set(active)).pop()

    wait_all_sent(first, timeout=60)
    wait_until(lambda: logs()[active].count(SENT) >= 3, timeout=30, message=logs)
    assert_each_sent_once(first)
    assert SENT not in logs()[standby] and ACQUIRED not in logs()[standby]

    # The active beat dies without releasing its lock; the other takes over once it lapses.
    os.killpg(beats[active][0].pid, signal.SIGKILL)
    beats[active][0].wait(timeout=10)
    second = [n.pk for n in due_nudges(10, clinician=clinician)]
    wait_until(lambda: ACQUIRED in logs()[standby], timeout=60, message=logs)
    wait_all_sent(second, timeout=60)
    assert SENT in logs()[standby]
    assert_each_sent_once(first + second)
    assert Nudge.objects.filter(pk__in=first + second).count() == 30
