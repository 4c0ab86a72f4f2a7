"""Clinicians: record → directory search → refer or signpost → follow the referral."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Activity
from referrals.models import Referral
from referrals.pathway import services
from talkingmoves.audit.models import AccessLog
from tests.providers.factories import ActivityFactory, activity_type
from tests.referrals.factories import ServiceUserFactory

S = Referral.Status
DETAILS = {
    "what_they_would_enjoy": "Being outdoors",
    "goal": "Walk twice a week",
    "needs_for_provider": "Step-free route please",
    "accompanied_first_visit": "yes",
    "preferred_contact": "email",
}


@pytest.fixture
def signpost_only():
    return ActivityFactory(name="Open swim")


def refer_url(person, activity):
    return reverse("referrals:refer", args=[person.public_id, activity.public_id])


def detail_url(referral):
    return reverse("referrals:referral_detail", args=[referral.public_id])


# --- find_for ------------------------------------------------------------------------------


def test_find_for_prefills_the_search_from_the_record(client_for, clinician):
    walking, yoga = activity_type("Walking").pk, activity_type("Yoga").pk
    person = ServiceUserFactory(
        service=clinician.organisation,
        postcode="LS6 1AB",
        interests=[walking, yoga],
        prefers_delivery="in_person",
        prefers_format="group",
        prefers_cost="free",
        max_travel_km=7,
        preferred_days=["1", "3"],
        preferred_times=["morning"],
        accessibility_needs=["step_free"],
    )
    client = client_for(clinician)
    response = client.get(reverse("referrals:find_for", args=[person.public_id]))
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == reverse("providers:search")
    query = parse_qs(target.query)
    assert query["for"] == [str(person.public_id)]
    assert query["postcode"] == ["LS6 1AB"]
    assert sorted(query["interests"]) == sorted([walking, yoga])
    assert query["distance_km"] == ["5"]  # nearest allowed choice to 7 km
    assert query["format"] == ["group"] and query["cost"] == ["free"]
    assert query["days"] == ["1", "3"] and query["times"] == ["morning"]
    assert query["accessibility"] == ["step_free"] and query["delivery"] == ["in_person"]
    # The pre-filled search is valid as it stands.
    page = client.get(response["Location"])
    assert page.status_code == 200 and not page.context["form"].errors


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clinician", 302),
        ("lead", 302),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
    ],
)
def test_find_for_permissions(cast, client_for, person, role, expected):
    response = client_for(cast[role]).get(reverse("referrals:find_for", args=[person.public_id]))
    assert response.status_code == expected


# --- refer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clinician", 200),
        ("lead", 200),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
    ],
)
def test_refer_permissions(cast, client_for, person, activity, role, expected):
    assert client_for(cast[role]).get(refer_url(person, activity)).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, person, activity):
    for target in (
        refer_url(person, activity),
        reverse("referrals:find_for", args=[person.public_id]),
    ):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_refer_sends_in_one_step(client_for, clinician, person, activity):
    client = client_for(clinician)
    page = client.get(refer_url(person, activity)).content.decode()
    assert "Send referral" in page
    response = client.post(refer_url(person, activity), DETAILS)
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(referral)
    assert referral.status == S.SENT and referral.sent_at is not None
    assert referral.goal == "Walk twice a week" and referral.accompanied_first_visit
    assert list(referral.events.values_list("to_status", flat=True)) == ["draft", "sent"]
    assert AccessLog.objects.filter(actor=clinician, object_id=str(person.public_id)).exists()


def test_double_submit_duplicates_nothing(client_for, clinician, person, activity):
    client = client_for(clinician)
    client.post(refer_url(person, activity), DETAILS)
    response = client.post(refer_url(person, activity), DETAILS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has an open referral to this activity" in html
    assert f'href="{detail_url(Referral.objects.get())}"' in html  # a link, not a refusal
    assert "There is a problem" not in html and "Send referral" not in html
    assert Referral.objects.count() == 1


def test_bad_input_is_explained_and_kept(client_for, clinician, person, activity):
    response = client_for(clinician).post(
        refer_url(person, activity), {"goal": "Walk more", "preferred_contact": "email"}
    )
    html = response.content.decode()
    assert "Enter what they would enjoy" in html
    assert "Select yes if they would like to be met" in html
    assert "Walk more" in html
    assert not Referral.objects.exists()


def test_missing_consent_shows_what_to_fix_and_no_send_button(client_for, clinician, activity):
    person = ServiceUserFactory(service=clinician.organisation)
    client = client_for(clinician)
    html = client.get(refer_url(person, activity)).content.decode()
    record = reverse("referrals:record", args=[person.public_id])
    assert f'href="{record}#consent"' in html and f'href="{record}#screening"' in html
    assert "consent to share" in html
    assert "Send referral" not in html
    # Sent anyway (the page was open before consent was withdrawn): the same list, no draft.
    html = client.post(refer_url(person, activity), DETAILS).content.decode()
    assert f'href="{record}#consent"' in html and f'href="{record}#screening"' in html
    assert "Send referral" not in html and "There is a problem" not in html
    assert not Referral.objects.exists()


def test_closed_listing_is_explained(client_for, clinician, person, activity):
    Activity.objects.filter(pk=activity.pk).update(archived_at=timezone.now())
    client = client_for(clinician)
    html = client.get(refer_url(person, activity)).content.decode()
    assert "This activity is no longer listed" in html and "Send referral" not in html
    client.post(refer_url(person, activity), DETAILS)
    assert not Referral.objects.exists()


def test_signpost_only_listing_records_signposting(client_for, clinician, person, signpost_only):
    client = client_for(clinician)
    html = client.get(refer_url(person, signpost_only)).content.decode()
    assert "Record signposting" in html and "Send referral" not in html
    response = client.post(refer_url(person, signpost_only))
    referral = Referral.objects.get()
    assert (referral.kind, referral.status) == ("signpost", S.SIGNPOSTED)
    assert referral.goal == ""  # nothing shared
    assert response["Location"] == detail_url(referral)


def test_other_services_person_cannot_be_referred(client_for, other_clinician, person, activity):
    response = client_for(other_clinician).post(refer_url(person, activity), DETAILS)
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_refer_needs_get_or_post(client_for, clinician, person, activity):
    assert client_for(clinician).put(refer_url(person, activity)).status_code == 405


# --- detail and moves ----------------------------------------------------------------------


@pytest.fixture
def sent(client_for, clinician, person, activity):
    client_for(clinician).post(refer_url(person, activity), DETAILS)
    return Referral.objects.get()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clinician", 200),
        ("lead", 200),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
    ],
)
def test_detail_permissions(cast, client_for, sent, role, expected):
    assert client_for(cast[role]).get(detail_url(sent)).status_code == expected


def test_detail_shows_state_history_and_allowed_moves(client_for, clinician, sent):
    html = client_for(clinician).get(detail_url(sent)).content.decode()
    assert "Sent" in html and "Withdraw referral" in html
    assert "Mark completed" not in html
    assert AccessLog.objects.filter(object_id=str(sent.public_id), actor=clinician).exists()


def test_withdraw_and_stale_move(client_for, clinician, sent, provider_staff):
    client = client_for(clinician)
    move = reverse("referrals:referral_move", args=[sent.public_id])
    services.referral_accept(referral=sent, by=provider_staff, first_session_at=None)
    response = client.post(move, {"to": "withdrawn", "expected_from": "sent"}, follow=True)
    assert "someone else changed it. Nothing was changed" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED
    response = client.post(move, {"to": "withdrawn", "expected_from": "accepted"}, follow=True)
    assert "Referral marked withdrawn" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.WITHDRAWN


def test_signposting_taken_up(client_for, clinician, person, signpost_only):
    client = client_for(clinician)
    client.post(refer_url(person, signpost_only))
    referral = Referral.objects.get()
    html = client.get(detail_url(referral)).content.decode()
    assert "Mark taken up" in html and "Mark not taken up" in html
    client.post(
        reverse("referrals:referral_move", args=[referral.public_id]),
        {"to": "taken_up", "expected_from": "signposted"},
    )
    referral.refresh_from_db()
    assert referral.status == S.TAKEN_UP


def test_move_rejects_unknown_or_provider_moves(client_for, clinician, sent):
    move = reverse("referrals:referral_move", args=[sent.public_id])
    client = client_for(clinician)
    assert client.post(move, {"to": "accepted", "expected_from": "sent"}).status_code == 400
    assert client.get(move).status_code == 405
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_open_referral_is_linked_instead_of_a_second_form(client_for, clinician, sent, person):
    html = client_for(clinician).get(refer_url(person, sent.activity)).content.decode()
    assert "already has an open referral to this activity" in html
    assert f'href="{detail_url(sent)}"' in html and "Send referral" not in html


def test_a_listing_that_takes_referrals_can_still_be_signposted(
    client_for, clinician, person, activity
):
    client = client_for(clinician)
    target = refer_url(person, activity) + "?kind=signpost"
    assert "Record signposting" in client.get(target).content.decode()
    client.post(target)
    referral = Referral.objects.get()
    assert (referral.kind, referral.status) == ("signpost", S.SIGNPOSTED)


def test_a_refused_send_leaves_no_draft(client_for, clinician, person, activity, monkeypatch):
    def refuse(referral, **kwargs):
        raise services.ReferralError("The screening outcome says to get GP advice first")

    # The send step of referral_create_and_send, after the draft is made.
    monkeypatch.setattr(services, "_send", refuse)
    response = client_for(clinician).post(refer_url(person, activity), DETAILS)
    assert "get GP advice first" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("km", "expected"), [(1, "1"), (3, "2"), (7, "5"), (30, "40"), (90, "40")])
def test_travel_distance_becomes_the_nearest_search_choice(client_for, clinician, km, expected):
    person = ServiceUserFactory(service=clinician.organisation, max_travel_km=km)
    response = client_for(clinician).get(reverse("referrals:find_for", args=[person.public_id]))
    assert parse_qs(urlparse(response["Location"]).query)["distance_km"] == [expected]


def test_detail_query_count_is_pinned(client_for, clinician, sent, django_assert_max_num_queries):
    client = client_for(clinician)
    with django_assert_max_num_queries(12):
        assert client.get(detail_url(sent)).status_code == 200
