"""The search page and matching (search from a record): the result cards, written in Python
(providers/search_cards.py), give the HTML main's template loop gave, on the same data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from providers.models import ActivityAccessibility, OneOffSession, VenueAccessibility
from referrals.pathway import responsiveness, services
from tests.providers.factories import ActivityFactory, VenueFactory, WeeklySlotFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.usefixtures("frozen")

SEARCH = "/directory/search/"


@pytest.fixture
def listings(activity, provider, provider_staff, clinician):
    """Cards of every shape: takes referrals or signposts, step-free or not, a weekly slot, a
    dated session, online, approximate location, out of date, priced, replies figures, and
    names that need escaping."""
    activity.name = 'Walk & "talk" <group>'
    activity.save()
    WeeklySlotFactory(activity=activity, weekday=2)
    ActivityAccessibility.objects.create(activity=activity, feature="hearing_loop")
    VenueAccessibility.objects.create(venue=activity.venue, feature="step_free")
    priced = ActivityFactory(
        name="Aqua fit",
        venue=VenueFactory(provider=provider, location_is_approximate=True, latitude=53.81),
        is_free=False,
        price_full="4.50",
        price_concession="2.25",
        last_verified_at=timezone.now() - timedelta(days=400),
    )
    OneOffSession.objects.create(
        activity=priced,
        starts_at=timezone.now() + timedelta(days=3, hours=2),
        ends_at=timezone.now() + timedelta(days=3, hours=3),
    )
    ActivityFactory(online=True, name="Chair yoga online", is_free=False)
    sent = ReferralFactory.create_batch(
        6,
        sent=True,
        activity=activity,
        service_user__service=clinician.organisation,
        service_user__assigned_clinician=clinician,
    )
    for referral in sent[:3]:
        services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
    responsiveness.responsiveness_refresh(provider_ids=[provider.pk])
    return activity, priced


SEARCHES = {
    "nearest": {"postcode": "LS1 4AP", "distance_km": "10"},
    "ranked by access": {
        "postcode": "LS1 4AP",
        "distance_km": "10",
        "accessibility": ["step_free", "hearing_loop"],
        "rank": "on",
    },
    "ranked, with nothing to rank by": {"postcode": "LS1 4AP", "distance_km": "10", "rank": "on"},
    "any distance, any delivery": {"postcode": "LS1 4AP", "distance_km": "40", "delivery": ""},
    "online": {"delivery": "online"},
    "walking, free": {"postcode": "LS1 4AP", "cost": "free"},
}


@pytest.mark.parametrize("search", list(SEARCHES))
def test_search_cards_as_main(render_both, client_for, clinician, listings, search):
    client = client_for(clinician)
    session = client.session
    session["directory_shortlist"] = [str(listings[1].public_id)]
    session.save()
    before, after = render_both(lambda: client.get(SEARCH, SEARCHES[search]))
    assert 'class="nhsuk-card"' in after
    assert after == before


@pytest.mark.parametrize("search", list(SEARCHES))
def test_matching_cards_as_main(render_both, client_for, clinician, person, listings, search):
    """From a record: Refer / Signpost buttons and the person's shortlist."""
    client = client_for(clinician)
    query = {**SEARCHES[search], "for": str(person.public_id)}
    before, after = render_both(lambda: client.get(SEARCH, query))
    assert "Signpost" in after
    assert after == before


def test_matching_after_find_as_main(render_both, client_for, clinician, person, listings):
    client = client_for(clinician)
    before, after = render_both(
        lambda: client.get(f"/service-users/{person.public_id}/find/", follow=True)
    )
    assert after == before


@pytest.mark.parametrize("search", [*SEARCHES, "errors", "empty"])
def test_search_and_matching_filters_as_the_reference_pack(
    render_packs, client_for, clinician, person, listings, search
):
    client = client_for(clinician)
    query = {"errors": {"postcode": "nowhere", "other_activity": "zz"}, "empty": None}
    query = query.get(search, SEARCHES.get(search))
    before, after = render_packs(lambda: client.get(SEARCH, query))
    assert 'id="filters"' in after
    assert after == before
    matching = {**(query or {}), "for": str(person.public_id)}
    before, after = render_packs(lambda: client.get(SEARCH, matching))
    assert after == before
    find = f"/service-users/{person.public_id}/find/"
    before, after = render_packs(lambda: client.get(find, follow=True))
    assert after == before


def test_plain_rows_give_what_the_prefetch_gave(clinician, listings):
    """Each result's access, next session and reasons, from providers/result_rows.py, equal
    what main worked out from prefetch_related on the same activities."""
    from providers import search
    from providers.models import WeeklySlot

    WeeklySlotFactory(activity=listings[1], weekday=0)
    WeeklySlot.objects.create(
        activity=listings[1], weekday=0, start_time="08:00", end_time="08:30"
    )  # two on one day: the earlier is the reason shown
    criteria = search.Criteria(
        accessibility=["step_free", "hearing_loop"], delivery="", days={0, 2}, cost="low"
    )
    matches = search.matching_activities(clinician, criteria)
    now = timezone.now()
    ours = search.results_for_page(search.for_results(matches), criteria, now=now)
    assert len(ours) == 2  # the online listing has no session on those days
    assert any(r.access == ["step_free", "hearing_loop"] for r in ours)
    for result, activity in zip(ours, search.prefetch_for_results(matches), strict=True):
        listed = {a.feature for a in activity.accessibility.all()}
        if activity.venue is not None:
            listed |= {a.feature for a in activity.venue.accessibility.all()}
        slots = list(activity.weekly_slots.all())
        assert result.activity == activity
        assert result.next_session == search.next_session(activity, now=now)
        assert result.access == [f for f in search.Accessibility.values if f in listed]
        assert result.missing_access == [f for f in criteria.accessibility if f not in listed]
        assert result.why == search.why_it_matches(
            activity, criteria, listed=listed, distance_km=None, slots=slots
        )
