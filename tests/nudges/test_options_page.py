"""The routine "getting active" invitation links to a public page of local options."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.nudges import links
from referrals.nudges.delivery import message_context
from referrals.nudges.models import Nudge
from tests.factories import TalkingTherapiesServiceFactory
from tests.providers.factories import (
    ActivityFactory,
    ProviderFactory,
    VenueFactory,
    WeeklySlotFactory,
    activity_type,
)
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")  # rate limits start from nothing


@pytest.fixture
def invitation(person):
    return Nudge.objects.create(
        service_id=person.service_id,
        audience=Nudge.Audience.SERVICE_USER,
        template="getting_active",
        service_user=person,
        due_at=timezone.now(),
    )


def options_url(nudge) -> str:
    return links.options_path(nudge)


def far_away(**kwargs):
    venue = VenueFactory(postcode="SW1A 1AA", latitude=51.501, longitude=-0.1416)
    return ActivityFactory(venue=venue, **kwargs)


@pytest.mark.django_db
def test_the_invitation_links_to_the_options_page(invitation):
    link = message_context(invitation)["link"]
    assert "/options/" in link
    token = link.rstrip("/").split("/")[-2]
    assert links.OPTIONS.value(token) == str(invitation.pk)


@pytest.mark.django_db
def test_shows_nearby_activities_with_times_place_and_cost_and_nothing_personal(invitation, person):
    person.postcode = "LS1 5AB"  # same district as the venue, not its postcode
    person.save(update_fields=["postcode"])
    near = ActivityFactory(name="Park walk", is_free=True)
    WeeklySlotFactory(activity=near, weekday=1)
    far_away(name="Thames swim")
    response = Client().get(options_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Park walk" in html
    assert near.provider.name in html
    assert "Tuesdays 10:00 to 11:00" in html
    assert "Free" in html
    assert near.venue.name in html
    assert "Thames swim" not in html
    for private in (person.given_name, person.family_name, person.email, person.postcode):
        assert private not in html
    assert "therapy" not in html.lower()


@pytest.mark.django_db
def test_at_most_eight_and_the_persons_interests_first(invitation, person):
    swimming = activity_type("Swimming")
    person.interests = [str(swimming.pk)]
    person.save(update_fields=["interests"])
    for n in range(9):
        ActivityFactory(name=f"Walk {n}")
    ActivityFactory(name="Zzz swim", activity_type=swimming)
    html = Client().get(options_url(invitation)).content.decode()
    assert html.count("nhsuk-card__heading") == 8
    assert html.index("Zzz swim") < html.index("Walk 0")


@pytest.mark.django_db
def test_the_clinicians_choice_comes_first(invitation, person):
    ActivityFactory(name="Aaa walk")
    chosen = far_away(name="Chosen by the clinician")
    ReferralFactory(signposted=True, service_user=person, activity=chosen)
    html = Client().get(options_url(invitation)).content.decode()
    assert html.index("Chosen by the clinician") < html.index("Aaa walk")
    assert "Your practitioner picked this one for you" in html


@pytest.mark.django_db
def test_archived_and_other_services_in_house_offers_are_left_out(invitation):
    ActivityFactory(name="Old walk", archived=True)
    elsewhere = ProviderFactory(organisation=TalkingTherapiesServiceFactory(name="Elsewhere"))
    ActivityFactory(name="Their in-house gym", venue=VenueFactory(provider=elsewhere))
    html = Client().get(options_url(invitation)).content.decode()
    assert "Old walk" not in html and "Their in-house gym" not in html
    assert "We could not find activities" in html


@pytest.mark.django_db
def test_without_a_postcode_only_online_options(invitation, person):
    person.postcode = ""
    person.save(update_fields=["postcode"])
    ActivityFactory(name="Park walk")
    ActivityFactory(name="Online yoga", online=True)
    html = Client().get(options_url(invitation)).content.decode()
    assert "Online yoga" in html and "Park walk" not in html


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
def test_every_role_gets_the_same_public_page(cast, client_for, invitation, role):
    assert client_for(cast[role]).get(options_url(invitation)).status_code == 200


@pytest.mark.django_db
def test_anonymous_opens_it_without_signing_in(invitation):
    assert Client().get(options_url(invitation)).status_code == 200


@pytest.mark.django_db
def test_get_only(invitation):
    assert Client().post(options_url(invitation)).status_code == 405


@pytest.mark.django_db
def test_an_answer_link_does_not_open_options(invitation):
    token = links.answer_token(invitation)
    url = reverse("nudges:options", kwargs={"token": token})
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_a_tampered_options_link_is_404(invitation):
    token = links.options_token(invitation)[:-1] + "x"
    assert Client().get(reverse("nudges:options", kwargs={"token": token})).status_code == 404


@pytest.mark.django_db
def test_an_expired_options_link_is_410(invitation):
    url = options_url(invitation)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


@pytest.mark.django_db
def test_options_are_rate_limited(invitation, settings):
    settings.NUDGE_LINK_RATE_LIMIT = 2
    url = options_url(invitation)
    client = Client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
