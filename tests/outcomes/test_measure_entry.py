"""Measures that cannot disagree: every route a measure arrives by (a clinician's form, a
service user's link, an import) goes through one entry point with the same checks, and the
admin cannot change or delete what the services keep consistent."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from outcomes import services
from outcomes.models import Measure, RiskFlag
from outcomes.services import OutcomeError
from talkingmoves.audit.models import AccessLog
from tests.factories import with_duty_contact
from tests.outcomes.factories import phq9_items
from tests.outcomes.measure_routes import ROUTES, by_clinician, phq9_answers
from tests.outcomes.safety_fixtures import (  # noqa: F401
    TODAY,
    episode_fixture,
    fresh_cache_fixture,
    frozen_fixture,
    person_fixture,
)

pytestmark = pytest.mark.usefixtures("frozen", "fresh_cache")
EARLIER = date(2026, 2, 1)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_refuses_a_second_phq9_on_the_same_day(route, clinician, episode):
    by_clinician(episode, clinician, phq9_answers(), TODAY)
    with pytest.raises(OutcomeError, match=r"already (been )?recorded"):
        ROUTES[route](episode, clinician, phq9_answers(), TODAY)
    assert Measure.objects.count() == 1


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_checks_the_items(route, clinician, episode):
    with pytest.raises(OutcomeError, match="question 4 must be from 0 to 3"):
        ROUTES[route](episode, clinician, [1, 1, 1, 4, 1, 1, 1, 1, 0], TODAY)
    with pytest.raises(OutcomeError, match="incomplete questionnaires are refused"):
        ROUTES[route](episode, clinician, [1, 1, 1, None, 1, 1, 1, 1, 0], TODAY)
    assert not Measure.objects.exists()


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_stores_recomputes_and_logs_the_same_way(route, clinician, episode):
    stored = ROUTES[route](episode, clinician, phq9_answers(), TODAY)
    assert stored.total == 8
    assert (
        stored.source
        == {"clinician": "clinician", "import": "imported", "link": "self_completed"}[route]
    )
    episode.refresh_from_db()
    assert episode.first_phq9 == 8
    assert AccessLog.objects.filter(action="create", object_id=str(stored.public_id)).exists()


@pytest.mark.parametrize("route", ["clinician", "import"])
def test_a_date_after_the_episode_ended_is_refused_saying_reopen_first(route, clinician, episode):
    services.episode_end(episode=episode, ended_on=EARLIER, ending_reason="46", by=clinician)
    with pytest.raises(OutcomeError) as refused:
        ROUTES[route](episode, clinician, phq9_answers(), date(2026, 2, 2))
    assert str(refused.value) == (
        "This episode ended on 1 February 2026. Reopen the episode to record answers from a "
        "later date"
    )
    assert refused.value.field == "taken_on"


def test_a_clinician_may_explicitly_replace_the_answers_for_a_date(clinician, episode):
    first = by_clinician(episode, clinician, phq9_items(20), TODAY)
    second = services.measure_record(
        episode=episode,
        kind="phq9",
        taken_on=TODAY,
        answers=phq9_items(12),
        by=clinician,
        replace=True,
    )
    assert list(Measure.objects.values_list("pk", flat=True)) == [second.pk]
    episode.refresh_from_db()
    assert episode.first_phq9 == 12
    assert AccessLog.objects.filter(action="update", object_id=str(first.public_id)).exists()


def test_a_phq9_that_raised_a_risk_flag_cannot_be_replaced(clinician, episode):
    flagged = by_clinician(episode, clinician, phq9_answers(item_9=1), TODAY)
    with pytest.raises(OutcomeError, match="raised a risk flag, so it is kept"):
        services.measure_record(
            episode=episode,
            kind="phq9",
            taken_on=TODAY,
            answers=phq9_answers(),
            by=clinician,
            replace=True,
        )
    assert list(Measure.objects.all()) == [flagged]
    assert RiskFlag.objects.get().measure == flagged


def test_activity_days_and_minutes_are_checked_together(clinician, episode):
    services.activity_record(
        episode=episode,
        taken_on=TODAY,
        days=3,
        moderate_minutes=60,
        vigorous_minutes=0,
        by=clinician,
    )
    with pytest.raises(OutcomeError, match="Active days and Activity minutes are already recorded"):
        services.activity_record(
            episode=episode,
            taken_on=TODAY,
            days=4,
            moderate_minutes=90,
            vigorous_minutes=0,
            by=clinician,
        )
    assert Measure.objects.count() == 2


# --- The questionnaire link ---------------------------------------------------------------


@pytest.fixture
def link(episode, clinician):
    with_duty_contact(episode.service)
    return services.measure_request_create(episode=episode, by=clinician)


def _link_answers(item_9="0"):
    data = {f"phq9_{n}": "1" for n in range(1, 9)}
    data["phq9_9"] = item_9
    data.update({f"gad7_{n}": "1" for n in range(1, 8)})
    data["activity_days"] = "2"
    return data


def test_link_says_before_answering_when_answers_are_already_recorded_today(
    client, link, clinician, episode
):
    by_clinician(episode, clinician, phq9_answers(), TODAY)
    url = services.self_completion_path(link)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 409
    assert "already been recorded today. You can use this link again tomorrow" in page
    assert "call NHS 111" in page
    link.refresh_from_db()
    assert link.completed_at is None
    with time_machine.travel("2026-03-03 10:00Z", tick=False):
        assert client.get(url).status_code == 200


def test_answers_typed_while_a_clinician_recorded_the_same_day_are_refused_without_risk(
    client, link, clinician, episode
):
    url = services.self_completion_path(link)
    assert client.get(url).status_code == 200
    by_clinician(episode, clinician, phq9_answers(), TODAY)  # meanwhile, in the session
    response = client.post(url, _link_answers())
    assert response.status_code == 410
    assert "already been recorded today" in response.content.decode()
    assert Measure.objects.count() == 1
    link.refresh_from_db()
    assert link.completed_at is None  # usable tomorrow


def test_a_self_completed_risk_answer_is_never_turned_away_as_a_duplicate(
    client, link, clinician, episode
):
    url = services.self_completion_path(link)
    assert client.get(url).status_code == 200
    by_clinician(episode, clinician, phq9_answers(), TODAY)  # meanwhile, item 9 "not at all"
    response = client.post(url, _link_answers(item_9="2"))
    assert response.status_code == 200
    assert "If you need help now" in response.content.decode()
    flag = RiskFlag.objects.get()
    assert flag.measure.source == "self_completed" and flag.measure.item_9 == 2
    assert flag.alerts.count() == 2  # the clinician and the duty contact


# --- The clinician's form: the replace offer ----------------------------------------------


def _form(on=TODAY, **extra):
    data = {
        "taken_on-day": str(on.day),
        "taken_on-month": str(on.month),
        "taken_on-year": str(on.year),
        **{f"item_{n}": "1" for n in range(1, 10)},
    }
    data["item_9"] = "0"
    return {**data, **extra}


def test_the_form_refuses_a_duplicate_then_offers_to_replace(client_for, clinician, episode):
    by_clinician(episode, clinician, phq9_items(20), TODAY)
    client = client_for(clinician)
    url = reverse("outcomes:measure_record", args=[episode.public_id, "phq9"])
    assert 'name="replace"' not in client.get(url).content.decode()
    refused = client.post(url, _form()).content.decode()
    assert "PHQ-9 is already recorded for 2 March 2026" in refused
    assert "There is a problem" in refused
    assert 'name="replace"' in refused
    assert Measure.objects.get().total == 20
    response = client.post(url, _form(replace="on"))
    assert response.status_code == 302
    assert Measure.objects.get().total == 8
