"""The public "local options" page suggests only what the person's PAR-Q+ screening allows:
everything once cleared; gentle activities before any screening; nothing while advice is
needed and not yet agreed, or GP advice comes first; specialist providers only when the
screening says specialist or supervised activity only."""

import pytest
from django.test import Client
from django.utils import timezone

from referrals.models import Screening
from referrals.nudges import links
from referrals.nudges.models import Nudge
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ReferralFactory, ScreeningFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")
Res = Screening.Resolution


@pytest.fixture
def invitation(person):
    return Nudge.objects.create(
        service_id=person.service_id,
        audience=Nudge.Audience.SERVICE_USER,
        template="getting_active",
        service_user=person,
        due_at=timezone.now(),
    )


@pytest.fixture
def listings():
    specialist = ProviderFactory(name="Heart Health Cardiac Rehab", is_specialist=True)
    return {
        "gentle": ActivityFactory(name="Gentle stretch", intensity="gentle"),
        "vigorous": ActivityFactory(name="Circuit blast", intensity="vigorous"),
        "specialist": ActivityFactory(
            name="Supervised gym", intensity="moderate", venue=VenueFactory(provider=specialist)
        ),
    }


def _screened(person, resolution=None):
    person.screenings.all().delete()
    if resolution is None:
        return
    ScreeningFactory(
        service_user=person,
        advice_needed=True,
        resolution=resolution,
        resolution_note="Discussed" if resolution else "",
        resolved_by=person.assigned_clinician if resolution else None,
        resolved_at=timezone.now() if resolution else None,
    )


def _page(invitation) -> str:
    return Client().get(links.options_path(invitation)).content.decode()


@pytest.mark.django_db
def test_cleared_person_sees_every_intensity(invitation, listings):
    html = _page(invitation)
    assert all(name in html for name in ("Gentle stretch", "Circuit blast", "Supervised gym"))


@pytest.mark.django_db
def test_not_screened_yet_sees_gentle_activities_only(invitation, person, listings):
    _screened(person)
    html = _page(invitation)
    assert "Gentle stretch" in html
    assert "Circuit blast" not in html and "Supervised gym" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("resolution", ["", Res.SEEK_ADVICE_FIRST])
def test_advice_needed_offers_nothing_not_even_the_clinicians_choice(
    invitation, person, listings, resolution
):
    ReferralFactory(signposted=True, service_user=person, activity=listings["gentle"])
    _screened(person, resolution)
    html = _page(invitation)
    assert "nhsuk-card__heading" not in html
    assert "Talk to your practitioner before you start a new activity" in html


@pytest.mark.django_db
def test_specialist_only_sees_specialist_providers_only(invitation, person, listings):
    _screened(person, Res.SPECIALIST_ONLY)
    html = _page(invitation)
    assert "Supervised gym" in html
    assert "Gentle stretch" not in html and "Circuit blast" not in html
