"""Signposting shares nothing with a provider, but the person may still go: what their
recorded PAR-Q+ rules out for a referral to an in-person activity is refused for
signposting too, with the reason. Online activities and people not yet screened are not
refused (the options page offers them gentle activities only)."""

import pytest
from django.urls import reverse

from referrals.models import Referral
from referrals.pathway import services
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ScreeningFactory


def _screened(person, resolution=""):
    person.screenings.all().delete()
    ScreeningFactory(
        service_user=person,
        advice_needed=True,
        resolution=resolution,
        resolution_note="Discussed" if resolution else "",
        resolved_by=person.assigned_clinician if resolution else None,
    )


def _signpost(person, activity, clinician):
    return services.referral_create(
        service_user=person, activity=activity, kind="signpost", by=clinician
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("resolution", "why"),
    [
        ("", "record what was agreed about the screening answers"),
        ("seek_advice", "get GP or specialist advice first"),
        ("specialist_only", "only specialist or supervised activity"),
    ],
)
def test_what_the_screening_rules_out_in_person_is_not_signposted(
    person, clinician, resolution, why
):
    _screened(person, resolution)
    with pytest.raises(services.ReferralError, match=f"Not signposted: .*{why}"):
        _signpost(person, ActivityFactory(name="Park run"), clinician)
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_online_cleared_specialist_and_unscreened_are_signposted(person, clinician):
    _screened(person)
    assert _signpost(person, ActivityFactory(online=True), clinician).status == "signposted"
    _screened(person, "discussed_cleared")
    assert _signpost(person, ActivityFactory(), clinician).status == "signposted"
    _screened(person, "specialist_only")
    specialist = ActivityFactory()
    specialist.provider.is_specialist = True
    specialist.provider.save()
    assert _signpost(person, specialist, clinician).status == "signposted"
    person.screenings.all().delete()
    assert _signpost(person, ActivityFactory(), clinician).status == "signposted"


@pytest.mark.django_db
def test_the_page_says_why_and_records_nothing(client_for, clinician, person):
    _screened(person)
    activity = ActivityFactory(name="Open swim")
    url = reverse("referrals:refer", args=[person.public_id, activity.public_id])
    response = client_for(clinician).post(url + "?kind=signpost")
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and "Not signposted" in page
    assert not Referral.objects.exists()
