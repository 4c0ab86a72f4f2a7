"""The public answer page a service user reaches from a message link."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.models import Attendance, Referral
from referrals.nudges import links
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse
from tests.nudges.factories import accept, did_you_go
from tests.referrals.factories import ReferralFactory

S = Referral.Status
CHOICES = ("I went", "Not yet", "I&#x27;d like someone to call me", "Stop these messages")


pytestmark = pytest.mark.usefixtures("fresh_cache")  # rate limits start from nothing


def answer_url(nudge) -> str:
    return links.answer_path(nudge)


@pytest.mark.django_db
def test_anyone_with_the_link_sees_the_four_choices_and_the_activity_only(sent_referral):
    nudge = did_you_go(sent_referral)
    response = Client().get(answer_url(nudge))
    assert response.status_code == 200
    html = response.content.decode()
    for choice in CHOICES:
        assert choice in html
    assert "Did you manage to go to Beginners&#x27; walking group?" in html
    person = sent_referral.service_user
    for private in (person.family_name, person.email, person.nhs_number, "therapy", "Therapies"):
        assert private not in html
    assert 'type="radio"' in html and "nhsuk-radios" in html
    assert 'name="viewport"' in html  # the NHS.UK layout, which works at 375px


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
def test_every_role_gets_the_same_public_page(cast, client_for, sent_referral, role):
    response = client_for(cast[role]).get(answer_url(did_you_go(sent_referral)))
    assert response.status_code == 200


@pytest.mark.django_db
def test_went_records_attendance_and_confirms_in_plain_words(sent_referral):
    referral = accept(sent_referral)
    nudge = did_you_go(referral)
    response = Client().post(answer_url(nudge), {"answer": "went"})
    assert response.status_code == 200
    assert "We have let your practitioner know you went" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.ATTENDING
    assert Attendance.objects.get(referral=referral).source == "self_reported"


@pytest.mark.django_db
def test_a_reopened_link_says_it_was_answered_and_takes_a_new_answer(sent_referral):
    referral = accept(sent_referral)
    nudge = did_you_go(referral)
    client = Client()
    assert "You answered" not in client.get(answer_url(nudge)).content.decode()
    client.post(answer_url(nudge), {"answer": "not_yet"})

    reopened = client.get(answer_url(nudge)).content.decode()
    assert 'You answered "' in reopened and "you can answer again" in reopened
    client.post(answer_url(nudge), {"answer": "went"})
    assert set(NudgeResponse.objects.filter(nudge=nudge).values_list("answer", flat=True)) == {
        "not_yet",
        "went",
    }
    referral.refresh_from_db()
    assert referral.status == S.ATTENDING


@pytest.mark.django_db
def test_a_double_click_changes_nothing_and_shows_the_same_confirmation(sent_referral):
    referral = accept(sent_referral)
    nudge = did_you_go(referral)
    client = Client()
    first = client.post(answer_url(nudge), {"answer": "went"}).content.decode()
    second = client.post(answer_url(nudge), {"answer": "went"})
    assert second.status_code == 200
    assert "We have let your practitioner know you went" in second.content.decode()
    assert "We have let your practitioner know you went" in first
    assert NudgeResponse.objects.filter(nudge=nudge).count() == 1
    assert Attendance.objects.filter(referral=referral).count() == 1


@pytest.mark.django_db
def test_call_me_through_the_page(sent_referral, clinician):
    nudge = did_you_go(sent_referral)
    response = Client().post(answer_url(nudge), {"answer": "call_me"})
    assert "would like a call" in response.content.decode()
    assert CallRequest.objects.filter(nudge=nudge).exists()
    assert Nudge.objects.filter(
        template="clinician_call_requested", recipient_user=clinician
    ).exists()


@pytest.mark.django_db
def test_stop_through_the_page_cancels_pending_messages(sent_referral):
    nudge = did_you_go(sent_referral)
    response = Client().post(answer_url(nudge), {"answer": "stop"})
    assert "You will not get any more of these messages" in response.content.decode()
    assert not sent_referral.nudges.filter(
        audience=Nudge.Audience.SERVICE_USER, status=Nudge.Status.SCHEDULED
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"answer": ""}, {"answer": "maybe"}])
def test_no_choice_shows_the_error_summary_and_records_nothing(sent_referral, data):
    nudge = did_you_go(sent_referral)
    response = Client().post(answer_url(nudge), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "nhsuk-error-message" in html
    assert "Select an answer" in html
    assert "<title>Error:" in html
    assert not NudgeResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        lambda token: "not-a-token",
        lambda token: token.split(":", 1)[1],
    ],
)
def test_a_tampered_link_is_404(sent_referral, mangle):
    nudge = did_you_go(sent_referral)
    token = mangle(links.answer_token(nudge))
    url = reverse("nudges:answer", kwargs={"token": token})
    assert Client().get(url).status_code == 404
    assert Client().post(url, {"answer": "stop"}).status_code == 404
    assert not NudgeResponse.objects.exists()


@pytest.mark.django_db
def test_an_expired_link_is_410_with_a_clear_message(sent_referral):
    nudge = did_you_go(sent_referral)
    url = answer_url(nudge)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().get(url)
        posted = Client().post(url, {"answer": "went"})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert posted.status_code == 410
    assert not NudgeResponse.objects.exists()


@pytest.mark.django_db
def test_a_link_still_works_on_day_13(sent_referral):
    url = answer_url(did_you_go(sent_referral))
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert Client().get(url).status_code == 200


@pytest.mark.django_db
def test_a_link_answers_only_its_own_message(sent_referral, activity):
    theirs = ReferralFactory(sent=True, activity=activity)
    other = theirs.service_user
    mine = did_you_go(sent_referral)
    # The signature covers the nudge id: swapping in another person's id breaks it.
    token = links.answer_token(mine).replace(str(mine.pk), str(did_you_go(theirs).pk))
    response = Client().post(reverse("nudges:answer", kwargs={"token": token}), {"answer": "stop"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.nudges_stopped_at is None
    assert not NudgeResponse.objects.exists()


@pytest.mark.django_db
def test_an_options_link_cannot_answer(sent_referral):
    nudge = did_you_go(sent_referral)
    token = links.options_token(nudge)
    url = reverse("nudges:answer", kwargs={"token": token})
    assert Client().post(url, {"answer": "stop"}).status_code == 404


@pytest.mark.django_db
def test_a_message_that_asks_nothing_cannot_be_answered(sent_referral):
    details = sent_referral.nudges.get(template="referral_details")
    assert Client().get(answer_url(details)).status_code == 404


@pytest.mark.django_db
def test_an_erased_person_link_is_404(sent_referral):
    nudge = did_you_go(sent_referral)
    person = sent_referral.service_user
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    assert Client().get(answer_url(nudge)).status_code == 404


@pytest.mark.django_db
def test_only_get_and_post(sent_referral):
    url = answer_url(did_you_go(sent_referral))
    assert Client().put(url).status_code == 405


@pytest.mark.django_db
def test_rate_limited_per_link(sent_referral, settings):
    settings.NUDGE_LINK_RATE_LIMIT = 3
    url = answer_url(did_you_go(sent_referral))
    statuses = [Client(REMOTE_ADDR=f"10.0.0.{n}").get(url).status_code for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    assert "too many times" in Client(REMOTE_ADDR="10.0.0.9").get(url).content.decode()


@pytest.mark.django_db
def test_rate_limited_per_address_across_links(sent_referral, settings):
    settings.NUDGE_LINK_RATE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.0.0.1")
    statuses = [
        client.get(reverse("nudges:answer", kwargs={"token": f"guess-{n}"})).status_code
        for n in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    # A blocked POST records nothing.
    nudge = did_you_go(sent_referral)
    assert client.post(answer_url(nudge), {"answer": "stop"}).status_code == 429
    assert not NudgeResponse.objects.exists()
    # Someone else is unaffected.
    assert Client(REMOTE_ADDR="10.0.0.2").get(answer_url(nudge)).status_code == 200
