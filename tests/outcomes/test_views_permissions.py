"""Who may open each outcomes page: clinicians and leads of the service only; other services
get 404, other roles 403, anonymous users the sign-in page. POSTs from outsiders change
nothing."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from outcomes.models import Appointment, Episode, Measure, MeasureRequest, RiskFlag
from tests.factories import with_duty_contact
from tests.outcomes.factories import RiskFlagFactory

pytestmark = pytest.mark.usefixtures("frozen")

OUTCOMES = {
    "clinician": 200,
    "lead": 200,
    "other_clinician": 404,
    "partnership": 403,
    "provider": 403,
    "admin": 403,
}


@pytest.fixture
def flagged(episode):
    return RiskFlagFactory(episode=episode)


def _pages(person, episode, flag):
    return {
        "episode_open": reverse("outcomes:episode_open", args=[person.public_id]),
        "episode_end": reverse("outcomes:episode_end", args=[episode.public_id]),
        "appointment": reverse("outcomes:appointment_record", args=[episode.public_id]),
        "phq9": reverse("outcomes:measure_record", args=[episode.public_id, "phq9"]),
        "gad7": reverse("outcomes:measure_record", args=[episode.public_id, "gad7"]),
        "wsas": reverse("outcomes:measure_record", args=[episode.public_id, "wsas"]),
        "activity": reverse("outcomes:measure_record", args=[episode.public_id, "activity"]),
        "measure": reverse("outcomes:measure_detail", args=[flag.measure.public_id]),
        "review": reverse("outcomes:risk_flag_review", args=[flag.public_id]),
        "record": reverse("referrals:record", args=[person.public_id]),
    }


PAGES = [
    "episode_open",
    "episode_end",
    "appointment",
    "phq9",
    "gad7",
    "wsas",
    "activity",
    "measure",
    "review",
    "record",
]


@pytest.mark.parametrize("role,expected", OUTCOMES.items())
@pytest.mark.parametrize("page", PAGES)
def test_pages_by_role(cast, client_for, person, episode, flagged, role, expected, page):
    response = client_for(cast[role]).get(_pages(person, episode, flagged)[page])
    assert response.status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_sign_in(person, episode, flagged, page):
    response = Client().get(_pages(person, episode, flagged)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


POSTS = {
    "appointment": {
        "on-day": "1",
        "on-month": "3",
        "on-year": "2026",
        "kind": "treatment",
        "attendance": "attended",
    },
    "phq9": {
        "taken_on-day": "1",
        "taken_on-month": "3",
        "taken_on-year": "2026",
        **{f"item_{n}": "1" for n in range(1, 10)},
    },
    "review": {"note": "Spoke to them, safety plan in place"},
    "episode_end": {
        "ended_on-day": "1",
        "ended_on-month": "3",
        "ended_on-year": "2026",
        "ending_reason": "46",
    },
}


def _state():
    return (
        Appointment.objects.count(),
        Measure.objects.count(),
        RiskFlag.objects.filter(reviewed_at__isnull=True).count(),
        Episode.objects.filter(ended_on__isnull=False).count(),
        MeasureRequest.objects.count(),
    )


@pytest.mark.parametrize("role,expected", OUTCOMES.items())
@pytest.mark.parametrize("page", sorted(POSTS))
def test_posts_by_role(cast, client_for, person, episode, flagged, role, expected, page):
    before = _state()
    response = client_for(cast[role]).post(_pages(person, episode, flagged)[page], POSTS[page])
    if expected == 200:
        assert response.status_code == 302
        assert _state() != before
    else:
        assert response.status_code == expected
        assert _state() == before


@pytest.mark.parametrize("role,expected", OUTCOMES.items())
def test_send_questionnaire_link_by_role(cast, client_for, episode, role, expected):
    with_duty_contact(episode.service)
    url = reverse("outcomes:measure_request_create", args=[episode.public_id])
    response = client_for(cast[role]).post(url)
    assert response.status_code == (302 if expected == 200 else expected)
    assert MeasureRequest.objects.count() == (1 if expected == 200 else 0)


def test_send_questionnaire_link_is_post_only(client_for, clinician, episode):
    url = reverse("outcomes:measure_request_create", args=[episode.public_id])
    assert client_for(clinician).get(url).status_code == 405


def test_measure_detail_is_get_only(client_for, clinician, flagged):
    url = reverse("outcomes:measure_detail", args=[flagged.measure.public_id])
    assert client_for(clinician).post(url).status_code == 405


@pytest.mark.parametrize(
    "name,args",
    [
        ("outcomes:episode_open", [uuid.uuid4()]),
        ("outcomes:episode_end", [uuid.uuid4()]),
        ("outcomes:measure_detail", [uuid.uuid4()]),
        ("outcomes:risk_flag_review", [uuid.uuid4()]),
    ],
)
def test_unknown_ids_are_404(client_for, clinician, name, args):
    assert client_for(clinician).get(reverse(name, args=args)).status_code == 404


def test_unknown_measure_kind_is_404(client_for, clinician, episode):
    url = reverse("outcomes:measure_record", args=[episode.public_id, "bmi"])
    assert client_for(clinician).get(url).status_code == 404


def test_erased_person_outcomes_are_404(client_for, clinician, person, episode):
    from django.utils import timezone

    from referrals.models import ServiceUser

    ServiceUser.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    url = reverse("outcomes:appointment_record", args=[episode.public_id])
    assert client_for(clinician).get(url).status_code == 404
