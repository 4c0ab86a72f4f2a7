"""A whole referral's journey under the production logging: nothing personal in the logs.

A clinician refers a service user, the provider accepts, a follow-up message is sent by the
Celery tasks, the clinician enters a PHQ-9 (with item 9 answered, so a risk flag is raised)
and someone fails to sign in as the clinician. Every line is JSON, and none holds a name,
NHS number, email address or phone number of the people involved.
"""

import io
import json
import logging.config
import re
from datetime import date, timedelta

import pytest
import time_machine
from celery.signals import task_prerun
from django.urls import reverse
from django.utils import timezone

from referrals.nudges import tasks
from referrals.nudges.models import Nudge
from talkingmoves import celery as celery_module
from talkingmoves.celery import app
from talkingmoves.core.request_log import json_logging
from tests.outcomes.factories import EpisodeFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def json_log(settings):
    """Everything logged at INFO and above, as production writes it."""
    buffer = io.StringIO()
    config = json_logging("INFO")
    config["handlers"]["stdout"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


@pytest.fixture
def eager_tasks():
    """Tasks run in this process, with Celery's signals (which write the task lines). The
    worker's close-old-connections step would close the test's transaction: left out."""
    task_prerun.disconnect(celery_module._drop_broken_database_connections)
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
    task_prerun.connect(celery_module._drop_broken_database_connections)


def _spellings(value: str) -> set[str]:
    """A value as it might be written: as stored, and digits grouped with spaces."""
    spellings = {value}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 10:
        spellings.add(digits)
    if len(digits) == 10:
        spellings.add(f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    if len(digits) == 11:
        spellings.add(f"{digits[:5]} {digits[5:]}")
    return spellings


def _personal_values(person, staff) -> set[str]:
    values = {person.given_name, person.family_name, person.nhs_number, person.email}
    values |= {person.mobile}
    for user in staff:
        values |= {user.email, *user.full_name.split()}
    spelled = set()
    for value in values:
        if value and len(value) > 2:  # initials would match anywhere
            spelled |= _spellings(value)
    return spelled


def _refer_accept_message_measure(clinician, provider_staff, person, activity, client_for):
    clinician_client = client_for(clinician)
    sent = clinician_client.post(
        reverse("referrals:refer", args=[person.public_id, activity.public_id]),
        {
            "what_they_would_enjoy": "Being outdoors",
            "goal": "Walk twice a week",
            "needs_for_provider": "Step-free route please",
            "accompanied_first_visit": "yes",
            "preferred_contact": "email",
        },
    )
    assert sent.status_code == 302
    referral = person.referrals.get()

    first_session = timezone.localdate() + timedelta(days=3)
    accepted = client_for(provider_staff).post(
        reverse("referrals:inbox_accept", args=[referral.public_id]),
        {
            "accept-first_session_date-day": first_session.day,
            "accept-first_session_date-month": first_session.month,
            "accept-first_session_date-year": first_session.year,
            "accept-first_session_time": "18:30",
        },
    )
    assert accepted.status_code == 302

    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        tasks.dispatch_due_nudges.apply()
    assert Nudge.objects.filter(status__in=["sent", "delivered"]).exists()

    episode = EpisodeFactory(
        service_user=person, referral_received_on=date(2026, 1, 5), created_by=clinician
    )
    answers = {f"item_{n}": "2" for n in range(1, 9)} | {"item_9": "1"}
    measured = clinician_client.post(
        reverse("outcomes:measure_record", args=[episode.public_id, "phq9"]),
        {"taken_on-day": "1", "taken_on-month": "3", "taken_on-year": "2026", **answers},
    )
    assert measured.status_code == 302


def test_a_journey_logs_nothing_personal(
    client, client_for, clinician, provider_staff, person, activity, json_log, eager_tasks
):
    person.mobile = "07700 900123"
    person.save()
    looked_for = _personal_values(person, [clinician, provider_staff])

    _refer_accept_message_measure(clinician, provider_staff, person, activity, client_for)
    client.post("/account/sign-in/", {"username": clinician.email, "password": "wrong"})

    output = json_log.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    routes = {line.get("route") for line in lines}
    assert {"referrals:refer", "referrals:inbox_accept", "outcomes:measure_record"} <= routes
    assert {line.get("task") for line in lines} >= {
        "referrals.nudges.tasks.dispatch_due_nudges",
        "referrals.nudges.tasks.send_nudges",
    }
    leaked = {value for value in looked_for if value.lower() in output.lower()}
    assert not leaked, f"personal data in the logs: {sorted(leaked)}"
