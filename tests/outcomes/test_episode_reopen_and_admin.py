"""Episodes cannot end before their last measure and can be reopened; the admin cannot change
or delete what the services keep consistent, and a flagged PHQ-9 is kept for ever."""

from datetime import date

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from outcomes import services
from outcomes.models import Episode, Measure, RiskFlag
from outcomes.services import OutcomeError
from referrals.data_rights.services import ERASED_NAME, ErasureRefused, service_user_erase
from talkingmoves.audit.models import AccessLog
from tests.outcomes.factories import EpisodeFactory, measure, phq9_items
from tests.outcomes.measure_routes import by_clinician, phq9_answers
from tests.outcomes.safety_fixtures import (  # noqa: F401
    TODAY,
    episode_fixture,
    fresh_cache_fixture,
    frozen_fixture,
    person_fixture,
)

pytestmark = pytest.mark.usefixtures("frozen", "fresh_cache")
EARLIER = date(2026, 2, 1)


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
    by_clinician(episode, clinician, phq9_answers(), TODAY)
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
    return by_clinician(episode, clinician, phq9_answers(item_9=1), TODAY)


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


def test_erasure_is_refused_while_a_flag_is_open_and_the_flag_keeps_escalating(
    lead, person, flagged
):
    flag = RiskFlag.objects.get()
    with pytest.raises(ErasureRefused, match="risk flag that has not been reviewed"):
        service_user_erase(service_user=person, by=lead)
    flag.refresh_from_db()
    person.refresh_from_db()
    assert flag.escalate_at is not None and flag.is_open
    assert person.erased_at is None and person.given_name == "Grace"


def test_erase_page_says_why_it_is_refused_and_erases_nothing(client_for, lead, person, flagged):
    url = reverse("referrals:data_erase", args=[person.public_id])
    response = client_for(lead).post(url, {"confirm": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and "Record its review before erasing" in page
    person.refresh_from_db()
    assert person.erased_at is None
