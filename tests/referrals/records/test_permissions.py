"""Who may open each service-user page: the same matrix for every view."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from referrals.models import ServiceUser

OUTCOMES = {
    "clinician": 200,
    "lead": 200,
    "other_clinician": 404,
    "partnership": 403,
    "provider": 403,
    "admin": 403,
}


def _urls(person, screening):
    pid = person.public_id
    return {
        "record": reverse("referrals:record", args=[pid]),
        "edit": reverse("referrals:service_user_edit", args=[pid]),
        "screening_add": reverse("referrals:screening_add", args=[pid]),
        "screening_resolve": reverse(
            "referrals:screening_resolve", args=[pid, screening.public_id]
        ),
    }


@pytest.mark.parametrize("role,expected", OUTCOMES.items())
@pytest.mark.parametrize("page", ["record", "edit", "screening_add", "screening_resolve"])
def test_person_pages(cast, client_for, person, screening, role, expected, page):
    response = client_for(cast[role]).get(_urls(person, screening)[page])
    assert response.status_code == expected


@pytest.mark.parametrize(
    "role,expected", [(r, 403 if s == 403 else 200) for r, s in OUTCOMES.items()]
)
@pytest.mark.parametrize("name", ["referrals:caseload", "referrals:service_user_add"])
def test_service_pages(cast, client_for, role, expected, name):
    assert client_for(cast[role]).get(reverse(name)).status_code == expected


@pytest.mark.parametrize(
    "name,args",
    [
        ("referrals:caseload", False),
        ("referrals:service_user_add", False),
        ("referrals:record", True),
        ("referrals:service_user_edit", True),
        ("referrals:screening_add", True),
    ],
)
def test_anonymous_goes_to_login(person, name, args):
    url = reverse(name, args=[person.public_id] if args else [])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_consent_post_goes_to_login(person):
    url = reverse("referrals:consent", args=[person.public_id, "share", "record"])
    response = Client().post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    person.refresh_from_db()
    assert person.consent_share_at is None


@pytest.mark.parametrize("role,expected", OUTCOMES.items())
def test_consent_post(cast, client_for, person, role, expected):
    url = reverse("referrals:consent", args=[person.public_id, "share", "record"])
    response = client_for(cast[role]).post(url)
    assert response.status_code == (302 if expected == 200 else expected)
    person.refresh_from_db()
    assert (person.consent_share_at is not None) == (expected == 200)


def test_consent_is_post_only(client_for, clinician, person):
    for change in ("record", "withdraw"):
        url = reverse("referrals:consent", args=[person.public_id, "share", change])
        assert client_for(clinician).get(url).status_code == 405


def test_unknown_person_is_404(client_for, clinician):
    url = reverse("referrals:record", args=[uuid.uuid4()])
    assert client_for(clinician).get(url).status_code == 404


def test_erased_person_is_404(client_for, clinician, person):
    from django.utils import timezone

    ServiceUser.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    url = reverse("referrals:record", args=[person.public_id])
    assert client_for(clinician).get(url).status_code == 404


def test_screening_of_another_person_is_404(client_for, clinician, person, screening):
    from tests.referrals.factories import ServiceUserFactory

    someone_else = ServiceUserFactory(service=clinician.organisation)
    url = reverse("referrals:screening_resolve", args=[someone_else.public_id, screening.public_id])
    assert client_for(clinician).get(url).status_code == 404


@pytest.mark.parametrize("name,args", [("referrals:caseload", False), ("referrals:record", True)])
def test_read_only_pages_refuse_post(client_for, clinician, person, name, args):
    url = reverse(name, args=[person.public_id] if args else [])
    assert client_for(clinician).post(url).status_code == 405
