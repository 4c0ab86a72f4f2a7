"""Searching from a record: Refer / Signpost on each result, and provider responsiveness."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from referrals.models import Referral
from referrals.pathway import responsiveness, services
from tests.providers.factories import ActivityFactory, VenueFactory
from tests.referrals.factories import ReferralFactory

SEARCH = "/directory/search/"


def _search(client, person=None, **params):
    query = {"postcode": "LS1 4AP", **params}
    if person is not None:
        query["for"] = str(person.public_id)
    return client.get(SEARCH, query)


def test_results_for_a_person_offer_refer_and_signpost(client_for, clinician, person, activity):
    signpost_only = ActivityFactory(name="Open swim")
    html = _search(client_for(clinician), person).content.decode()
    refer = reverse("referrals:refer", args=[person.public_id, activity.public_id])
    signpost = reverse("referrals:refer", args=[person.public_id, signpost_only.public_id])
    assert f'href="{refer}"' in html
    assert f'href="{signpost}?kind=signpost"' in html and f'href="{signpost}"' not in html
    assert f"for {escape(person.full_name)}" in html
    assert f'name="for" value="{person.public_id}"' in html  # kept through a new search


def test_results_without_a_person_have_no_refer_buttons(client_for, clinician, activity):
    html = _search(client_for(clinician)).content.decode()
    assert "/refer/" not in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 200), ("lead", 200), ("other_clinician", 404), ("partnership", 404)],
)
def test_for_needs_the_persons_own_service(cast, client_for, person, activity, role, expected):
    assert _search(client_for(cast[role]), person).status_code == expected


def test_for_with_a_bad_id_is_404(client_for, clinician):
    assert client_for(clinician).get(SEARCH, {"for": "not-a-uuid"}).status_code == 404


def _referrals(clinician, activity, count):
    return ReferralFactory.create_batch(
        count,
        sent=True,
        activity=activity,
        service_user__service=clinician.organisation,
        service_user__assigned_clinician=clinician,
    )


def test_responsiveness_figures(clinician, activity, provider, provider_staff):
    start = timezone.now() - timedelta(days=30)
    with time_machine.travel(start, tick=False):
        sent = _referrals(clinician, activity, 6)
    for days, referral in zip((1, 2, 4), sent[:3], strict=True):
        with time_machine.travel(start + timedelta(days=days), tick=False):
            services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
    with time_machine.travel(start + timedelta(days=3), tick=False):
        services.referral_decline(referral=sent[3], by=provider_staff, reason="full")
    services.referral_decline(
        referral=sent[4], reason="no_response", system_actor="14-day auto-decline"
    )
    figures = responsiveness.for_provider(provider.pk)
    assert figures.sent == 6 and figures.answered == 5 and figures.accepted == 3
    assert figures.median_days == 2.5  # 1, 2, 3, 4: the auto-decline is not a reply
    assert figures.reply_text == "Usually replies in 2 days"  # banker's rounding of 2.5
    assert figures.accepted_text == "60% accepted (3 of 5 answered)"


def test_responsiveness_needs_five_referrals_in_twelve_months(clinician, activity, provider):
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        _referrals(clinician, activity, 3)
    _referrals(clinician, activity, 4)
    assert responsiveness.for_provider(provider.pk) is None
    _referrals(clinician, activity, 1)
    figures = responsiveness.for_provider(provider.pk)
    assert figures.sent == 5 and figures.reply_text == "Has not yet replied to a referral"


def test_responsiveness_is_shown_to_clinicians(
    client_for, clinician, partnership_staff, activity, provider_staff
):
    for referral in _referrals(clinician, activity, 5):
        services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
    html = _search(client_for(clinician)).content.decode()
    assert "Usually replies within a day" in html and "100% accepted (5 of 5 answered)" in html
    detail = reverse("providers:activity_detail", args=[activity.public_id])
    assert "Usually replies within a day" in client_for(clinician).get(detail).content.decode()
    assert "Usually replies" not in _search(client_for(partnership_staff)).content.decode()


def test_search_for_a_person_query_count(
    client_for, clinician, person, provider, django_assert_max_num_queries
):
    for n in range(20):
        ActivityFactory(venue=VenueFactory(provider=provider), name=f"Walk {n}")
    client = client_for(clinician)
    with django_assert_max_num_queries(22):
        response = _search(client, person)
    assert response.status_code == 200
    assert Referral.objects.count() == 0


def test_sessions_for_another_sex_or_age_group_are_not_offered(client_for, clinician, person):
    from datetime import date

    from providers.models import ActivitySuitability

    def tagged(name, tag):
        activity = ActivityFactory(name=name, venue=VenueFactory(postcode="LS1 4AP"))
        ActivitySuitability.objects.create(activity=activity, tag=tag)
        return activity

    tagged("Women's swim", "women_only")
    tagged("Men's walk", "men_only")
    tagged("Over 50s yoga", "over_50s")
    tagged("Young people's run", "age_18_25")
    today = timezone.localdate()
    person.gender, person.date_of_birth = "2", date(today.year - 30, 1, 1)
    person.save()

    html = _search(client_for(clinician), person).content.decode()
    assert "Women&#x27;s swim" in html
    assert "Men&#x27;s walk" not in html
    assert "Over 50s yoga" not in html
    assert "Young people&#x27;s run" not in html
    # Without a person (or their details) nothing is held back.
    html = _search(client_for(clinician)).content.decode()
    assert all(
        name in html
        for name in ("Women&#x27;s swim", "Men&#x27;s walk", "Over 50s yoga", "Young people")
    )
