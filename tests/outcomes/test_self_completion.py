"""A service user completes PHQ-9, GAD-7 and the activity question from a signed, expiring,
single-use link, without signing in; risk goes to staff, never to the service user beyond
the service's crisis-support text."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from outcomes import links, services
from outcomes.models import Measure, MeasureRequest, OutcomeSettings, RiskFlag
from referrals.models import ServiceUser
from referrals.nudges.models import Nudge
from talkingmoves.audit.models import AccessLog
from tests.outcomes.safety_fixtures import duty_contact_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen", "fresh_cache", "duty_contact")


@pytest.fixture
def request_(episode, clinician):
    return services.measure_request_create(episode=episode, by=clinician)


def _answers(item_9="0", **overrides):
    data = {f"phq9_{n}": "1" for n in range(1, 9)}
    data["phq9_9"] = item_9
    data.update({f"gad7_{n}": "2" for n in range(1, 8)})
    data["activity_days"] = "3"
    data.update(overrides)
    return data


def _url(request_):
    return services.self_completion_path(request_)


def test_creating_a_request_queues_a_link_message_without_clinical_detail(request_, person):
    nudge = Nudge.objects.get(template="measures_request")
    assert nudge.service_user == person
    assert nudge.link_path == _url(request_)
    assert request_.kinds == ["phq9", "gad7", "activity_days"]
    assert request_.expires_at - request_.created_at == timedelta(days=14)


def test_page_shows_questions_only(client, request_, person):
    response = client.get(_url(request_))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Little interest or pleasure in doing things" in page
    assert "Feeling nervous, anxious, or on edge" in page
    assert "on how many days have you done a total of 30 minutes" in page
    assert person.family_name not in page and person.given_name not in page
    assert person.nhs_number not in page
    assert 'name="viewport" content="width=device-width' in page
    assert "<script>" not in page


def test_answers_land_on_the_record_as_self_completed(client, request_, episode):
    response = client.post(_url(request_), _answers())
    page = response.content.decode()
    assert response.status_code == 200
    assert "your answers have been sent" in page
    assert "If you need help now" not in page
    measures = {m.kind: m for m in Measure.objects.all()}
    assert set(measures) == {"phq9", "gad7", "activity_days"}
    assert all(m.source == "self_completed" and m.recorded_by is None for m in measures.values())
    assert measures["phq9"].total == 8 and measures["gad7"].total == 14
    assert measures["activity_days"].total == 3
    request_.refresh_from_db()
    assert request_.completed_at is not None
    episode.refresh_from_db()
    assert episode.first_phq9 == 8 and episode.first_gad7 == 14
    assert AccessLog.objects.filter(system_actor=services.SELF_COMPLETION_ACTOR).count() == 3
    assert not AccessLog.objects.filter(path__contains=links.measure_request_token(request_))


def test_link_works_once(client, request_):
    client.post(_url(request_), _answers())
    again = client.post(_url(request_), _answers())
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert Measure.objects.count() == 3
    assert client.get(_url(request_)).status_code == 410


def test_completing_twice_through_the_service_is_refused(request_):
    answers = {"phq9": [0] * 9, "gad7": [0] * 7, "activity_days": [2]}
    services.measure_request_complete(request=request_, answers=answers)
    with pytest.raises(services.OutcomeError):
        services.measure_request_complete(request=request_, answers=answers)
    assert Measure.objects.count() == 3


def test_item_9_flags_alerts_staff_and_shows_only_crisis_text(client, request_, person, clinician):
    OutcomeSettings.objects.filter(service=person.service).update(
        crisis_support_text="Call the Riverside crisis line on 0800 000 0000\nOr call 999",
    )
    response = client.post(_url(request_), _answers(item_9="2"))
    page = response.content.decode()
    assert "Call the Riverside crisis line on 0800 000 0000" in page
    assert "Or call 999" in page
    assert "score" not in page.lower() and "risk" not in page.lower()
    flag = RiskFlag.objects.get()
    assert flag.is_open and flag.measure.source == "self_completed"
    alerts = Nudge.objects.filter(template="risk_alert")
    assert {(a.recipient_user_id, a.recipient_email) for a in alerts} == {
        (clinician.pk, ""),
        (None, "duty@example.nhs.uk"),
    }
    # Nothing automated goes to the service user about it.
    assert (
        not Nudge.objects.filter(service_user=person)
        .exclude(template__in=["risk_alert", "measures_request"])
        .exists()
    )


def test_default_crisis_text_is_nhs_111_999_samaritans(client, request_):
    page = client.post(_url(request_), _answers(item_9="1")).content.decode()
    assert "NHS 111" in page and "999" in page and "116 123" in page


def test_missing_answers_are_explained_and_kept(client, request_):
    data = _answers()
    del data["gad7_4"]
    response = client.post(_url(request_), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("Select an answer to: Trouble relaxing") >= 2
    assert page.count('value="1" checked') == 8  # PHQ-9 answers kept
    assert page.count('value="2" checked') == 6  # the GAD-7 answers given
    assert not Measure.objects.exists()
    request_.refresh_from_db()
    assert request_.completed_at is None


def test_expired_link_is_refused_clearly(client, request_):
    with time_machine.travel("2026-03-17 10:00Z", tick=False):
        response = client.get(_url(request_))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_request_expiry_is_checked_as_well_as_the_signature(client, request_):
    MeasureRequest.objects.filter(pk=request_.pk).update(
        expires_at=request_.created_at + timedelta(minutes=1)
    )
    with time_machine.travel("2026-03-02 11:00Z", tick=False):
        assert client.get(_url(request_)).status_code == 410


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "x" * 40,
        signing.TimestampSigner(salt="referrals.links.provider-answer").sign("abc"),
    ],
    ids=["garbage", "forty-characters", "another-links-token"],  # stable under pytest-xdist
)
@pytest.mark.django_db
def test_bad_tokens_are_404(client, token):
    url = reverse("outcomes:self_complete", kwargs={"token": token})
    assert client.get(url).status_code == 404


def test_tampered_token_is_404(client, request_):
    url = _url(request_)
    tampered = url.replace(str(request_.public_id)[:4], "0000", 1)
    if tampered == url:  # the id is signed, so change the signature instead
        tampered = url[:-3] + ("a" if url[-3] != "a" else "b") + url[-2:]
    assert client.get(tampered).status_code == 404


def test_link_for_an_ended_episode_still_takes_answers(client, request_, episode, clinician):
    # The person may need help whatever the episode's state: tests/outcomes/test_late_answers.py
    services.episode_end(
        episode=episode, ended_on=episode.referral_received_on, ending_reason="46", by=clinician
    )
    assert client.get(_url(request_)).status_code == 200
    assert not Measure.objects.exists()


def test_rate_limited(client, request_, settings):
    settings.SELF_COMPLETION_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(_url(request_)).status_code == 200
    assert client.get(_url(request_)).status_code == 429


def test_no_link_for_an_ended_episode_or_without_contact(episode, clinician, person):
    person.email = ""
    person.mobile = ""
    person.save()
    with pytest.raises(services.OutcomeError, match="email address or mobile"):
        services.measure_request_create(episode=episode, by=clinician)
    assert not MeasureRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consent_email_at": None}, "Record consent to email or text messages"),
        ({"nudges_stopped_at": datetime(2026, 2, 1, tzinfo=UTC)}, "asked us to stop"),
    ],
)
def test_no_link_without_consent_or_after_stop(clinician, episode, person, change, message):
    ServiceUser.objects.filter(pk=person.pk).update(**change)
    with pytest.raises(services.OutcomeError, match=message):
        services.measure_request_create(episode=episode, by=clinician)
    assert not MeasureRequest.objects.exists()


def test_risk_alert_goes_to_the_leads_when_no_clinician_can_be_reached(
    clinician, lead, episode, person
):
    ServiceUser.objects.filter(pk=person.pk).update(assigned_clinician=None)
    request = services.measure_request_create(episode=episode, by=clinician)
    answers = {
        "phq9": [1, 1, 1, 1, 1, 1, 1, 1, 1],
        "gad7": [0] * 7,
        "activity_days": [3],
    }
    services.measure_request_complete(request=request, answers=answers)
    alerts = Nudge.objects.filter(template="risk_alert")
    # The lead stands in for the missing clinician; the duty contact is told as always.
    assert {(a.recipient_user_id, a.recipient_email) for a in alerts} == {
        (lead.pk, ""),
        (None, "duty@example.nhs.uk"),
    }
