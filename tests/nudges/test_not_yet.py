""" "Not yet" leads somewhere: what got in the way goes on the record and to the clinician, and
what would help happens (a call, a reminder, other options)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.nudges import links
from referrals.nudges.models import CallRequest, NotYetAnswer, Nudge
from referrals.worklist.models import Task
from tests.nudges.factories import accept, did_you_go

pytestmark = pytest.mark.usefixtures("fresh_cache")


def _not_yet_url(nudge) -> str:
    return reverse("nudges:not_yet", kwargs={"token": links.answer_token(nudge)})


def _said_not_yet(referral) -> Nudge:
    nudge = did_you_go(referral)
    response = Client().post(links.answer_path(nudge), {"answer": "not_yet"})
    assert response.status_code == 200
    assert "What got in the way?" in response.content.decode()
    return nudge


@pytest.mark.django_db
def test_not_yet_is_a_task_at_once_and_asks_what_got_in_the_way(sent_referral):
    _said_not_yet(accept(sent_referral))
    task = Task.objects.get(kind=Task.Kind.NOT_YET)
    assert task.service_user == sent_referral.service_user
    assert "Not yet" in task.detail


@pytest.mark.django_db
def test_what_got_in_the_way_joins_the_record_and_the_task(sent_referral):
    nudge = _said_not_yet(accept(sent_referral))
    response = Client().post(
        _not_yet_url(nudge),
        {"reasons": ["cost", "travel", "other"], "other": "Bus fares 🚌", "helps": []},
    )
    assert response.status_code == 200
    assert "We have passed this on" in response.content.decode()
    person = sent_referral.service_user
    person.refresh_from_db()
    assert {"cost", "travel"} <= set(person.barriers)
    assert "other" not in person.barriers
    detail = Task.objects.get(kind=Task.Kind.NOT_YET).detail
    assert "The cost" in detail and "Getting there" in detail and "Bus fares 🚌" in detail


@pytest.mark.django_db
def test_a_call_from_my_practitioner_is_a_call_request(sent_referral):
    nudge = _said_not_yet(accept(sent_referral))
    Client().post(_not_yet_url(nudge), {"helps": ["call"]})
    assert CallRequest.objects.get().service_user == sent_referral.service_user
    assert Task.objects.filter(kind=Task.Kind.CALL_ME).count() == 1


@pytest.mark.django_db
def test_remind_me_later_asks_again_in_two_weeks(sent_referral):
    nudge = _said_not_yet(accept(sent_referral))
    Client().post(_not_yet_url(nudge), {"helps": ["remind_later"]})
    later = Nudge.objects.filter(template="did_you_go", status="scheduled").exclude(pk=nudge.pk)
    assert later.count() == 1
    assert later.get().due_at > timezone.now() + timedelta(days=13)


@pytest.mark.django_db
def test_something_else_nearby_links_to_local_options(sent_referral):
    nudge = _said_not_yet(accept(sent_referral))
    html = Client().post(_not_yet_url(nudge), {"helps": ["something_else"]}).content.decode()
    assert links.options_path(nudge) in html
    assert "What would help: Something else nearby" in Task.objects.get().detail


@pytest.mark.django_db
def test_a_second_answer_changes_nothing(sent_referral):
    nudge = _said_not_yet(accept(sent_referral))
    Client().post(_not_yet_url(nudge), {"reasons": ["time"]})
    html = Client().post(_not_yet_url(nudge), {"reasons": ["cost"]}).content.decode()
    assert "You have already told us" in html
    assert NotYetAnswer.objects.get().reasons == ["time"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Select what got in the way, or what would help"),
        ({"reasons": ["nonsense"]}, "Select what got in the way from the list"),
        ({"helps": ["<script>"]}, "Select what would help from the list"),
        ({"reasons": ["other"], "other": "x" * 201}, "Tell us more in 200 characters or fewer"),
    ],
)
def test_bad_input_is_explained_and_kept(sent_referral, data, error):
    nudge = _said_not_yet(accept(sent_referral))
    response = Client().post(_not_yet_url(nudge), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html and error in html
    assert NotYetAnswer.objects.count() == 0


@pytest.mark.django_db
def test_the_page_needs_a_not_yet_answer_and_a_real_link(sent_referral):
    nudge = did_you_go(accept(sent_referral))
    before = Client().get(_not_yet_url(nudge))
    assert before.status_code == 404
    forged = reverse("nudges:not_yet", kwargs={"token": "forged.token"})
    assert Client().post(forged, {"reasons": ["cost"]}).status_code == 404
    assert NotYetAnswer.objects.count() == 0


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
def test_every_role_gets_the_same_public_page(cast, client_for, sent_referral, role):
    nudge = _said_not_yet(accept(sent_referral))
    assert client_for(cast[role]).get(_not_yet_url(nudge)).status_code == 200


@pytest.mark.django_db
def test_cant_make_it_on_the_confirmation_leads_to_the_same_questions(sent_referral):
    accept(sent_referral)
    confirmation = sent_referral.nudges.get(template="referral_accepted")
    page = Client().get(links.answer_path(confirmation)).content.decode()
    assert "Can you make it to" in page and "I can&#x27;t make it" in page
    assert "I went" not in page
    response = Client().post(links.answer_path(confirmation), {"answer": "cant_make_it"})
    assert "What got in the way?" in response.content.decode()
    assert "I can't make it" in Task.objects.get(kind=Task.Kind.NOT_YET).detail
    refused = Client().post(links.answer_path(confirmation), {"answer": "went"})
    assert "Select an answer" in refused.content.decode()


@pytest.mark.django_db
def test_the_answer_is_in_the_export_and_goes_with_erasure(sent_referral, lead):
    from referrals.data_rights.services import service_user_erase, service_user_export

    nudge = _said_not_yet(accept(sent_referral))
    Client().post(_not_yet_url(nudge), {"reasons": ["other"], "other": "My knee"})
    person = sent_referral.service_user
    export = service_user_export(service_user=person, by=lead)
    answered = [m for m in export["messages"] if m["not_yet"]]
    assert answered[0]["not_yet"][0]["in_their_words"] == "My knee"
    assert any("My knee" in task["detail"] for task in export["tasks"])
    service_user_erase(service_user=person, by=lead)
    assert NotYetAnswer.objects.get().other == ""
    assert Task.objects.filter(detail__contains="My knee").count() == 0
