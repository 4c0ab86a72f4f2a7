"""Episodes cannot end before their last measure and can be reopened; the admin cannot change
or delete what the services keep consistent, and a flagged PHQ-9 is kept for ever."""

from datetime import date

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from outcomes import services
from outcomes.models import Episode, Measure, RiskFlag
from outcomes.services import MeasureEntry, OutcomeError
from referrals.data_rights.services import ERASED_NAME, service_user_erase
from talkingmoves.audit.models import AccessLog
from tests.factories import with_duty_contact
from tests.outcomes.factories import EpisodeFactory, measure, phq9_items
from tests.outcomes.safety_fixtures import (  # noqa: F401
    TODAY,
    episode_fixture,
    fresh_cache_fixture,
    frozen_fixture,
    person_fixture,
)

pytestmark = pytest.mark.usefixtures("frozen", "fresh_cache")
EARLIER = date(2026, 2, 1)


def _phq9(item_9=0):
    return phq9_items(8 + item_9, item_9=item_9)


def _by_clinician(episode, clinician, answers, on):
    return services.measure_record(
        episode=episode, kind="phq9", taken_on=on, answers=answers, by=clinician
    )


def _by_import(episode, clinician, answers, on):
    measures, _ = services.measures_import(
        episode=episode, taken_on=on, entries=[MeasureEntry("phq9", answers)], by=clinician
    )
    return measures[0]


def _by_link(episode, clinician, answers, on):
    """A service user's questionnaire link (always today's date)."""
    assert on == TODAY
    with_duty_contact(episode.service)
    request = services.measure_request_create(episode=episode, by=clinician, kinds=["phq9"])
    measures, _ = services.measure_request_complete(request=request, answers={"phq9": answers})
    return measures[0]


ROUTES = {"clinician": _by_clinician, "import": _by_import, "link": _by_link}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_refuses_a_second_phq9_on_the_same_day(route, clinician, episode):
    _by_clinician(episode, clinician, _phq9(), TODAY)
    with pytest.raises(OutcomeError, match=r"already (been )?recorded"):
        ROUTES[route](episode, clinician, _phq9(), TODAY)
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
    stored = ROUTES[route](episode, clinician, _phq9(), TODAY)
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
        ROUTES[route](episode, clinician, _phq9(), date(2026, 2, 2))
    assert str(refused.value) == (
        "This episode ended on 1 February 2026. Reopen the episode to record answers from a "
        "later date"
    )
    assert refused.value.field == "taken_on"


def test_a_link_for_an_ended_episode_stores_nothing(clinician, episode):
    with_duty_contact(episode.service)
    request = services.measure_request_create(episode=episode, by=clinician, kinds=["phq9"])
    services.episode_end(episode=episode, ended_on=TODAY, ending_reason="46", by=clinician)
    with pytest.raises(OutcomeError, match="no longer in use"):
        services.measure_request_complete(request=request, answers={"phq9": _phq9()})
    assert not Measure.objects.exists()


def test_a_clinician_may_explicitly_replace_the_answers_for_a_date(clinician, episode):
    first = _by_clinician(episode, clinician, phq9_items(20), TODAY)
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
    flagged = _by_clinician(episode, clinician, _phq9(item_9=1), TODAY)
    with pytest.raises(OutcomeError, match="raised a risk flag, so it is kept"):
        services.measure_record(
            episode=episode,
            kind="phq9",
            taken_on=TODAY,
            answers=_phq9(),
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


# --- Ending and reopening episodes --------------------------------------------------------


def test_an_episode_cannot_end_before_its_last_questionnaire(clinician, episode):
    measure(episode, "gad7", [1] * 7, on=date(2026, 2, 10))
    with pytest.raises(OutcomeError) as refused:
        services.episode_end(
            episode=episode, ended_on=date(2026, 2, 9), ending_reason="46", by=clinician
        )
    assert str(refused.value) == (
        "Ending date must be on or after the last questionnaire, GAD-7 on 10 February 2026"
    )
    assert refused.value.field == "ended_on"
    episode.refresh_from_db()
    assert episode.is_open
    services.episode_end(
        episode=episode, ended_on=date(2026, 2, 10), ending_reason="46", by=clinician
    )


def test_reopening_an_episode_allows_later_answers_and_recomputes(clinician, episode):
    measure(episode, "phq9", phq9_items(18), on=date(2026, 1, 10))
    measure(episode, "gad7", [2] * 7, on=date(2026, 1, 10))
    measure(episode, "phq9", phq9_items(6), on=EARLIER)
    measure(episode, "gad7", [0] * 7, on=EARLIER)
    services.episode_end(episode=episode, ended_on=EARLIER, ending_reason="46", by=clinician)
    episode.refresh_from_db()
    assert episode.last_phq9 == 6 and episode.caseness_at_end is False
    services.episode_reopen(episode=episode, by=clinician, path="/x")
    episode.refresh_from_db()
    assert episode.is_open and episode.ending_reason == ""
    assert episode.caseness_at_end is None and episode.recovered is None
    _by_clinician(episode, clinician, _phq9(), TODAY)
    assert AccessLog.objects.filter(
        action="update", object_id=str(episode.public_id), path="/x"
    ).exists()


def test_reopening_is_refused_when_open_or_another_episode_is_open(clinician, person, episode):
    with pytest.raises(OutcomeError, match="already open"):
        services.episode_reopen(episode=episode, by=clinician)
    services.episode_end(episode=episode, ended_on=EARLIER, ending_reason="46", by=clinician)
    EpisodeFactory(service_user=person, referral_received_on=date(2026, 2, 5))
    with pytest.raises(OutcomeError, match=r"another open episode\. End it first"):
        services.episode_reopen(episode=episode, by=clinician)
    assert Episode.objects.filter(ended_on__isnull=True).count() == 1


REOPEN = {
    "clinician": 200,
    "lead": 200,
    "other_clinician": 404,
    "partnership": 403,
    "provider": 403,
    "admin": 403,
}


@pytest.fixture
def ended(episode, clinician):
    return services.episode_end(episode=episode, ended_on=EARLIER, ending_reason="46", by=clinician)


@pytest.mark.parametrize(("role", "expected"), REOPEN.items())
def test_reopen_page_by_role(cast, client_for, ended, role, expected):
    url = reverse("outcomes:episode_reopen", args=[ended.public_id])
    client = client_for(cast[role])
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        assert "Reopen the episode of care" in response.content.decode()
    response = client.post(url)
    assert response.status_code == (302 if expected == 200 else expected)
    ended.refresh_from_db()
    assert ended.is_open == (expected == 200)


def test_reopen_page_sends_anonymous_users_to_sign_in(client, ended):
    url = reverse("outcomes:episode_reopen", args=[ended.public_id])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    ended.refresh_from_db()
    assert not ended.is_open


def test_reopen_page_bad_input(client_for, clinician, person, ended):
    client = client_for(clinician)
    assert client.get("/outcomes/episodes/not-a-uuid/reopen/").status_code == 404
    missing = reverse("outcomes:episode_reopen", args=["00000000-0000-0000-0000-000000000000"])
    assert client.post(missing).status_code == 404
    url = reverse("outcomes:episode_reopen", args=[ended.public_id])
    assert client.put(url).status_code == 405
    EpisodeFactory(service_user=person, referral_received_on=date(2026, 2, 5))
    response = client.post(url, follow=True)
    assert "another open episode. End it first" in response.content.decode()
    ended.refresh_from_db()
    assert not ended.is_open


def test_record_offers_reopen_for_an_ended_episode_only(client_for, clinician, person, ended):
    page = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    assert reverse("outcomes:episode_reopen", args=[ended.public_id]) in page.content.decode()


# --- The admin and deletion ---------------------------------------------------------------


@pytest.fixture
def flagged(clinician, episode):
    return _by_clinician(episode, clinician, _phq9(item_9=1), TODAY)


def test_a_phq9_with_a_risk_flag_cannot_be_deleted(flagged):
    with pytest.raises(ProtectedError):
        flagged.delete()
    with pytest.raises(ProtectedError):
        flagged.episode.delete()
    assert RiskFlag.objects.filter(measure=flagged).exists()


@pytest.mark.parametrize("model", ["episode", "measure", "riskflag"])
def test_admin_cannot_change_or_delete_clinical_rows(client_for, admin_user, flagged, model):
    obj = {"episode": flagged.episode, "measure": flagged, "riskflag": flagged.risk_flags.get()}
    pk = obj[model].pk
    client = client_for(admin_user)
    change = client.get(reverse(f"admin:outcomes_{model}_change", args=[pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content and b'name="_continue"' not in change.content
    assert client.get(reverse(f"admin:outcomes_{model}_delete", args=[pk])).status_code == 403
    assert client.post(reverse(f"admin:outcomes_{model}_delete", args=[pk])).status_code == 403
    assert Measure.objects.filter(pk=flagged.pk).exists()
    assert RiskFlag.objects.filter(measure=flagged).exists()


def test_admin_changelist_offers_no_bulk_delete(client_for, admin_user, flagged):
    page = client_for(admin_user).get(reverse("admin:outcomes_measure_changelist"))
    assert b'value="delete_selected"' not in page.content


def test_erasure_keeps_risk_flags_and_their_alerts_with_the_note_erased(
    clinician, lead, person, flagged
):
    flag = RiskFlag.objects.get()
    services.risk_flag_review(flag=flag, note="Spoke to Grace, safety plan agreed", by=clinician)
    alerts = flag.alerts.count()
    service_user_erase(service_user=person, by=lead)
    flag.refresh_from_db()
    assert flag.review_note == ERASED_NAME
    assert flag.alerts.count() == alerts > 0
    assert Measure.objects.filter(pk=flagged.pk).exists()


def test_erasure_stops_an_open_flag_escalating(lead, person, flagged):
    flag = RiskFlag.objects.get()
    assert flag.escalate_at is not None
    service_user_erase(service_user=person, by=lead)
    flag.refresh_from_db()
    assert flag.escalate_at is None and flag.is_open
