"""A questionnaire link sent before an episode ended still works after it: the service
user's answers are kept and marked as arrived late, an item 9 answer still raises a risk
flag and its alerts, and nothing after the end changes the episode's outcomes."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from outcomes import services
from outcomes.models import Measure, RiskAlert, RiskFlag
from tests.outcomes.factories import phq9_items
from tests.outcomes.safety_fixtures import (  # noqa: F401
    TODAY,
    duty_contact_fixture,
    episode_fixture,
    fresh_cache_fixture,
    person_fixture,
)

pytestmark = pytest.mark.usefixtures("fresh_cache", "duty_contact")
R = RiskAlert.Reason
SENT = "2026-03-02 10:00Z"  # Monday: link sent, episode ended that day
ANSWERED = "2026-03-04 10:00Z"  # Wednesday: the answers arrive


def _ended_after_sending(episode, clinician):
    with time_machine.travel(SENT, tick=False):
        services.measure_record(
            episode=episode,
            kind="phq9",
            taken_on=date(2026, 1, 5),
            answers=phq9_items(18),
            by=clinician,
        )
        request = services.measure_request_create(episode=episode, by=clinician)
        services.episode_end(episode=episode, ended_on=TODAY, ending_reason="46", by=clinician)
    episode.refresh_from_db()
    return request


def _form(item_9: str) -> dict:
    data = {f"phq9_{n}": "1" for n in range(1, 9)} | {"phq9_9": item_9}
    return data | {f"gad7_{n}": "0" for n in range(1, 8)} | {"activity_days": "2"}


def test_item_9_after_the_episode_ended_is_kept_flagged_and_alerted(client, clinician, episode):
    request = _ended_after_sending(episode, clinician)
    before = (episode.last_phq9, episode.recovered, episode.activity_group)
    with time_machine.travel(ANSWERED, tick=False):
        page = client.get(services.self_completion_path(request))
        assert page.status_code == 200
        response = client.post(services.self_completion_path(request), _form(item_9="2"))
    assert response.status_code == 200
    assert "116 123" in response.content.decode()  # the crisis support text
    phq9 = Measure.objects.get(kind="phq9", taken_on=date(2026, 3, 4))
    assert phq9.arrived_late and phq9.source == Measure.Source.SELF_COMPLETED
    flag = RiskFlag.objects.get(measure=phq9)
    assert flag.is_open and flag.escalate_at is not None
    assert {a.reason for a in flag.alerts.all()} == {R.ASSIGNED_CLINICIAN, R.DUTY_CONTACT}
    episode.refresh_from_db()
    assert (episode.last_phq9, episode.recovered, episode.activity_group) == before
    assert episode.ended_on == TODAY


def test_late_answers_without_risk_are_kept_and_marked_on_the_record(
    client_for, client, clinician, episode, person
):
    request = _ended_after_sending(episode, clinician)
    with time_machine.travel(ANSWERED, tick=False):
        client.post(services.self_completion_path(request), _form(item_9="0"))
        record = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    late = Measure.objects.filter(arrived_late=True)
    assert sorted(late.values_list("kind", flat=True)) == ["activity_days", "gad7", "phq9"]
    assert not RiskFlag.objects.exists()
    assert "After the episode ended" in record.content.decode()


def test_a_clinician_still_cannot_record_after_the_end_without_reopening(clinician, episode):
    _ended_after_sending(episode, clinician)
    with (
        time_machine.travel(ANSWERED, tick=False),
        pytest.raises(services.OutcomeError, match="Reopen the episode"),
    ):
        services.measure_record(
            episode=episode,
            kind="phq9",
            taken_on=date(2026, 3, 4),
            answers=phq9_items(5),
            by=clinician,
        )
    assert not Measure.objects.filter(arrived_late=True).exists()
