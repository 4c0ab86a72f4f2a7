"""A call request not marked done within a working day goes to the duty contact and the
service leads, and again each working day until someone marks it done."""

from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import answers
from referrals.nudges.call_requests import call_requests_escalate
from referrals.nudges.models import CallRequest, Nudge
from tests.nudges.factories import did_you_go

pytestmark = pytest.mark.usefixtures("fresh_cache")
DUTY = "duty@example.nhs.uk"
MONDAY_10 = "2026-03-02 10:00Z"  # GMT: London time is UTC until 29 March
FRIDAY_15 = "2026-03-06 15:00Z"


def _overdue() -> set[tuple]:
    return {
        (n.recipient_user_id, n.recipient_email)
        for n in Nudge.objects.filter(template="call_request_overdue")
    }


@pytest.mark.django_db
def test_not_done_in_a_working_day_tells_the_duty_contact_and_leads_then_daily(
    sent_referral, clinician, lead
):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
        clock.move_to("2026-03-03 09:59Z")
        assert call_requests_escalate() == 0
        clock.move_to("2026-03-03 10:00Z")
        assert call_requests_escalate() == 1
        assert call_requests_escalate() == 0  # a second run adds nothing
        assert _overdue() == {(None, DUTY), (lead.pk, "")}
        clock.move_to("2026-03-04 10:00Z")
        assert call_requests_escalate() == 1
        answers.call_request_done(call_request=CallRequest.objects.get(), by=clinician)
        clock.move_to("2026-03-05 10:00Z")
        assert call_requests_escalate() == 0
    request = CallRequest.objects.get()
    assert request.escalations == 2 and request.escalate_at is None


@pytest.mark.django_db
def test_done_the_same_day_never_escalates(sent_referral, clinician, lead):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
        clock.move_to("2026-03-02 15:00Z")
        answers.call_request_done(call_request=CallRequest.objects.get(), by=clinician)
        clock.move_to("2026-03-10 10:00Z")
        assert call_requests_escalate() == 0
    assert _overdue() == set()


@pytest.mark.django_db
def test_a_friday_request_escalates_on_monday_not_at_the_weekend(sent_referral, lead):
    with time_machine.travel(FRIDAY_15, tick=False) as clock:
        answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
        for moment in ("2026-03-07 15:00Z", "2026-03-08 15:00Z", "2026-03-09 14:59Z"):
            clock.move_to(moment)
            assert call_requests_escalate() == 0
        clock.move_to("2026-03-09 15:00Z")
        assert call_requests_escalate() == 1


@pytest.mark.django_db
def test_an_erased_persons_request_stops_escalating(sent_referral, lead):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
        ServiceUser.objects.filter(pk=sent_referral.service_user_id).update(
            erased_at=timezone.now()
        )
        clock.move_to("2026-03-03 10:00Z")
        assert call_requests_escalate() == 0
    assert CallRequest.objects.get().escalate_at is None
    assert _overdue() == set()


def test_the_check_runs_from_beat():
    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "referrals.nudges.tasks.escalate_call_requests"
    ]
    assert entry["schedule"] <= 5 * 60


@pytest.mark.django_db
def test_requests_left_open_before_the_upgrade_escalate_on_the_first_run(sent_referral, lead):
    """Migration nudges 0004: requests made before escalation existed."""
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
        CallRequest.objects.update(escalate_at=None)
        import_module(
            "referrals.nudges.migrations.0004_call_request_escalation"
        ).escalate_open_requests(apps, None)
        clock.move_to("2026-03-02 10:01Z")
        assert call_requests_escalate() == 1
    assert (lead.pk, "") in _overdue()
