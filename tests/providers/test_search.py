"""Clinicians find something suitable nearby in one search."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    VenueAccessibility,
)
from tests.providers.factories import (
    ActivityFactory,
    ProviderFactory,
    VenueFactory,
    WeeklySlotFactory,
    activity_type,
)

SEARCH = "/directory/search/"
# LS1 4AP's district centroid is the search centre; venues are placed relative to Leeds.
NEAR = {"postcode": "LS6 1AB", "latitude": 53.8110, "longitude": -1.5650}  # ~2 km
FAR = {"postcode": "LS22 6AA", "latitude": 53.9280, "longitude": -1.3850}  # ~18 km


def _activity(name, *, where=NEAR, label="Walking", access=(), tags=(), **fields):
    venue = VenueFactory(provider=ProviderFactory(), **where)
    for feature in access:
        VenueAccessibility.objects.create(venue=venue, feature=feature)
    activity = ActivityFactory(venue=venue, name=name, activity_type=activity_type(label), **fields)
    for tag in tags:
        ActivitySuitability.objects.create(activity=activity, tag=tag)
    return activity


def _names(response):
    content = response.content.decode()
    return [a.name for a in Activity.objects.all() if f">{escape(a.name)}</a>" in content]


def _walking_id():
    return activity_type("Walking").pk


def test_free_step_free_beginner_walking_within_5km_in_one_search(client_for, clinician):
    _activity("Beginners' walk", access=["step_free"], tags=["beginners"])
    _activity(
        "Nordic walking club", label="Nordic Walking", access=["step_free"], tags=["beginners"]
    )
    _activity("Far walk", where=FAR, access=["step_free"], tags=["beginners"])
    _activity("Paid walk", is_free=False, price_full=Decimal("3"), tags=["beginners"])
    _activity("Experts' hike", access=["step_free"])
    _activity("Swim", label="Swimming", tags=["beginners"])
    response = client_for(clinician).get(
        SEARCH,
        {
            "postcode": "LS1 4AP",
            "distance_km": 5,
            "interests": [_walking_id()],
            "cost": "free",
            "suitable_for": ["beginners"],
            "accessibility": ["step_free"],
        },
    )
    assert response.status_code == 200
    assert sorted(_names(response)) == ["Beginners' walk", "Nordic walking club"]
    content = response.content.decode()
    assert "km" in content and "Free" in content


def test_results_are_sorted_by_distance(client_for, clinician):
    _activity(
        "Two km walk", where={"postcode": "LS6 1AB", "latitude": 53.8110, "longitude": -1.5650}
    )
    _activity(
        "Half km walk", where={"postcode": "LS1 4AP", "latitude": 53.7990, "longitude": -1.5470}
    )
    response = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP", "distance_km": 10})
    assert _names_in_order(response) == ["Half km walk", "Two km walk"]


def _names_in_order(response):
    content = response.content.decode()
    found = [
        (content.index(f">{escape(a.name)}</a>"), a.name)
        for a in Activity.objects.all()
        if f">{escape(a.name)}</a>" in content
    ]
    return [name for _, name in sorted(found)]


def test_unmet_access_needs_are_shown_last_with_what_is_missing(client_for, clinician):
    _activity(
        "Step-free walk",
        where={"postcode": "LS6 1AB", "latitude": 53.8110, "longitude": -1.5650},
        access=["step_free"],
    )
    _activity(
        "Nearer walk with steps",
        where={"postcode": "LS1 4AP", "latitude": 53.7990, "longitude": -1.5470},
    )
    response = client_for(clinician).get(
        SEARCH, {"postcode": "LS1 4AP", "accessibility": ["step_free"]}
    )
    assert _names_in_order(response) == ["Step-free walk", "Nearer walk with steps"]
    assert "Does not list: Step-free access" in response.content.decode()


def test_day_and_time_filters(client_for, clinician):
    tuesday_morning = _activity("Tuesday morning walk")
    WeeklySlotFactory(activity=tuesday_morning, weekday=1, start_time=time(10), end_time=time(11))
    thursday_evening = _activity("Thursday evening walk")
    WeeklySlotFactory(activity=thursday_evening, weekday=3, start_time=time(18), end_time=time(19))
    response = client_for(clinician).get(
        SEARCH, {"postcode": "LS1 4AP", "days": [1], "times": ["morning"]}
    )
    assert _names(response) == ["Tuesday morning walk"]


def test_online_only_needs_no_postcode(client_for, clinician):
    online = _activity("Online yoga", label="Yoga")
    Activity.objects.filter(pk=online.pk).update(delivery_mode="online", venue=None)
    _activity("Park walk")
    response = client_for(clinician).get(SEARCH, {"delivery": "online"})
    assert _names(response) == ["Online yoga"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": ""}, "Enter a postcode, or choose online"),
        ({"postcode": "L$1"}, "Postcode must only include letters and numbers"),
        ({"postcode": "ZZ99 9ZZ"}, "We cannot find where ZZ99 is"),
        ({"postcode": "LS1", "other_activity": "Quidditch"}, "No type of activity matches"),
    ],
)
def test_bad_search_input_is_explained_and_kept(client_for, clinician, params, message):
    response = client_for(clinician).get(SEARCH, {**params, "cost": "free"})
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert (
        'value="free" checked' in content
        or 'checked value="free"' in content
        or ('value="free"' in content and "checked" in content)
    )


def test_no_results_suggests_what_to_relax(client_for, clinician):
    _activity("Far walk", where=FAR)
    online = _activity("Online walk-along")
    Activity.objects.filter(pk=online.pk).update(delivery_mode="online", venue=None)
    response = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP", "distance_km": 5})
    content = response.content.decode()
    assert "No activities match" in content
    assert "Search within 20 km: 1 activity" in content
    assert "Look at online options: 1 activity" in content


def test_stale_listing_is_marked_for_clinicians(client_for, clinician):
    stale = _activity("Old walk")
    Activity.objects.filter(pk=stale.pk).update(
        last_verified_at=timezone.now() - timedelta(days=250)
    )
    content = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP"}).content.decode()
    assert "May be out of date" in content
    assert "Last checked 8 months ago" in content


def test_signpost_only_and_referral_listings_are_told_apart(client_for, clinician):
    _activity("Referral walk", takes_referrals=True, referral_email="a@example.org")
    _activity("Signpost walk")
    content = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP"}).content.decode()
    assert "Takes referrals" in content and "Signpost only" in content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 200), ("lead", 200), ("partnership", 200), ("provider", 403), ("admin", 403)],
)
def test_search_permissions(cast, client_for, role, expected):
    assert client_for(cast[role]).get(SEARCH).status_code == expected


def test_search_query_count_is_pinned(client_for, clinician, django_assert_max_num_queries):
    for n in range(25):
        _activity(f"Walk {n}", access=["step_free"], tags=["beginners"])
    client = client_for(clinician)
    with django_assert_max_num_queries(20):
        response = client.get(SEARCH, {"postcode": "LS1 4AP", "accessibility": ["step_free"]})
    assert response.status_code == 200


def test_shortlist_holds_up_to_three_and_prints(client_for, clinician):
    activities = [_activity(f"Walk {n}") for n in range(4)]
    client = client_for(clinician)
    for activity in activities:
        client.post(reverse("providers:shortlist_add", args=[activity.public_id]))
    page = client.get(reverse("providers:shortlist")).content.decode()
    assert [a.name in page for a in activities] == [True, True, True, False]
    assert "NHS number" not in page
    client.post(reverse("providers:shortlist_remove", args=[activities[0].public_id]))
    assert "Walk 0" not in client.get(reverse("providers:shortlist")).content.decode()


def test_shortlist_add_needs_post_and_a_visible_activity(client_for, clinician, other_service):
    activity = _activity("Walk")
    client = client_for(clinician)
    assert (
        client.get(reverse("providers:shortlist_add", args=[activity.public_id])).status_code == 405
    )
    hidden = ActivityFactory(
        venue=VenueFactory(provider=ProviderFactory(partnership=None, organisation=other_service))
    )
    assert (
        client.post(reverse("providers:shortlist_add", args=[hidden.public_id])).status_code == 404
    )


def test_access_features_on_the_activity_itself_count(client_for, clinician):
    walk = _activity("Walk with BSL")
    ActivityAccessibility.objects.create(activity=walk, feature="bsl")
    content = (
        client_for(clinician)
        .get(SEARCH, {"postcode": "LS1", "accessibility": ["bsl"]})
        .content.decode()
    )
    assert "Does not list" not in content


def test_long_nonsense_postcode_gets_one_clear_message(client_for, clinician):
    content = client_for(clinician).get(SEARCH, {"postcode": "NOT A POSTCODE"}).content.decode()
    assert "Enter a real postcode" in content
    assert "Ensure this value" not in content
    assert "Enter a postcode, or choose online" not in content


def test_best_matches_first_ranks_by_fit_instead_of_excluding(client_for, clinician):
    swim = _activity("Paid swim", label="Swimming", is_free=False, price_full=Decimal("4"))
    walk = _activity("Free walk", access=["step_free"], tags=["beginners"])
    cycle = _activity("Free ride", label="Cycling")
    params = {
        "postcode": "LS1 4AP",
        "interests": [_walking_id()],
        "cost": "free",
        "suitable_for": ["beginners"],
        "accessibility": ["step_free"],
    }
    exact = client_for(clinician).get(SEARCH, params)
    assert _names_in_order(exact) == ["Free walk"]
    ranked = client_for(clinician).get(SEARCH, {**params, "rank": "on"})
    # Cost is a constraint, so the paid swim stays out; the walk fits everything else, the
    # free ride only the cost.
    assert _names_in_order(ranked) == ["Free walk", "Free ride"]
    assert {swim.pk, walk.pk, cycle.pk} == set(Activity.objects.values_list("pk", flat=True))
    assert "Matching everything you chose: 1, first." in ranked.content.decode()


def test_best_matches_first_still_narrows_by_cost_day_and_time(client_for, clinician):
    """The issue's case: Walking and Free with best matches first listed paid swims."""
    _activity("Paid swim", label="Swimming", is_free=False, price_full=Decimal("4"))
    free_swim = _activity("Free swim", label="Swimming")
    free_walk = _activity("Free walk")
    WeeklySlotFactory(activity=free_swim, weekday=1, start_time=time(10), end_time=time(11))
    WeeklySlotFactory(activity=free_walk, weekday=1, start_time=time(19), end_time=time(20))
    params = {"postcode": "LS1 4AP", "interests": [_walking_id()], "cost": "free", "rank": "on"}

    assert _names_in_order(client_for(clinician).get(SEARCH, params)) == [
        "Free walk",
        "Free swim",
    ]
    mornings = client_for(clinician).get(SEARCH, {**params, "days": [1], "times": ["morning"]})
    assert _names_in_order(mornings) == ["Free swim"]
    assert "Matching everything you chose: 0." in mornings.content.decode()


def test_dated_sessions_match_the_time_of_day_as_well_as_the_day(client_for, clinician):
    evening_walk = _activity("Evening walk")
    tuesday_evening = timezone.localtime() + timedelta(days=7)
    tuesday_evening = tuesday_evening.replace(hour=19, minute=0, second=0) + timedelta(
        days=(1 - tuesday_evening.weekday()) % 7
    )
    OneOffSession.objects.create(
        activity=evening_walk,
        starts_at=tuesday_evening,
        ends_at=tuesday_evening + timedelta(hours=1),
    )
    search = {"postcode": "LS1 4AP", "days": [1]}

    assert _names(client_for(clinician).get(SEARCH, {**search, "times": ["evening"]})) == [
        "Evening walk"
    ]
    assert _names(client_for(clinician).get(SEARCH, {**search, "times": ["morning"]})) == []


def test_access_line_joins_the_venues_and_the_activitys_support(client_for, clinician):
    walk = _activity("Park walk", access=["step_free"])
    ActivityAccessibility.objects.create(activity=walk, feature="hearing_loop")
    content = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP"}).content.decode()
    assert "Step-free access, Hearing loop" in content


def test_after_a_search_the_results_come_before_the_filters(client_for, clinician):
    _activity("Park walk")
    searched = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP"}).content.decode()
    assert searched.index('id="results"') < searched.index('id="filters"')
    assert 'href="#filters">Change the search' in searched
    # Before a search, and when the search needs correcting, the form comes first.
    wrong = client_for(clinician).get(SEARCH, {"postcode": "ZZ99 9ZZ"}).content.decode()
    assert 'id="filters"' in wrong and "Change the search" not in wrong


def test_each_result_says_why_it_matches(client_for, clinician):
    walk = _activity("Park walk", access=["step_free"])
    WeeklySlotFactory(activity=walk, weekday=1, start_time=time(10), end_time=time(11))
    content = (
        client_for(clinician)
        .get(SEARCH, {"postcode": "LS1 4AP", "accessibility": ["step_free"]})
        .content.decode()
    )
    assert "walking · free · step-free access · 2.0 km · Tuesdays 10:00" in content


def test_distance_shown_is_the_one_used(client_for, clinician):
    content = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP"}).content.decode()
    assert '<option value="5" selected>' in content


def test_a_venue_in_a_district_not_yet_known_is_still_found_by_distance(
    client_for, clinician, partnership_staff
):
    from providers import services
    from providers.models import Outcode

    Outcode.objects.filter(outcode="LS6").delete()  # as if LS6 were a new district
    venue = VenueFactory(provider=ProviderFactory(), postcode="LS6 1AB", latitude=None)
    venue.longitude = None
    services.venue_save(venue=venue, by=partnership_staff)
    assert venue.latitude is not None and venue.location_is_approximate
    ActivityFactory(venue=venue, name="New district walk", activity_type=activity_type("Walking"))

    found = client_for(clinician).get(SEARCH, {"postcode": "LS1 4AP", "distance_km": 10})
    assert "New district walk" in _names(found)


def test_a_chosen_cost_or_format_can_be_cleared(client_for, clinician):
    content = (
        client_for(clinician)
        .get(SEARCH, {"postcode": "LS1 4AP", "cost": "free", "format": "group"})
        .content.decode()
    )
    assert 'name="cost" type="radio" value=""' in content
    assert "Any cost" in content
    assert 'name="format" type="radio" value=""' in content


def test_a_page_carries_its_counts_and_a_page_past_the_end_is_the_last(client_for, clinician):
    """providers/search_pages.py: the total and the exact-fit count come with the page's rows;
    a page number past the end, or not a number, is what Django's Paginator gives."""
    for n in range(23):
        _activity(f"Walk {n:02}", access=["step_free"] if n % 2 else ())
    client = client_for(clinician)
    params = {"postcode": "LS1 4AP", "accessibility": ["step_free"], "rank": "on"}
    pages = {page: client.get(SEARCH, {**params, "page": page}) for page in ("1", "2", "9", "x")}
    for page in pages.values():
        content = page.content.decode()
        assert "23 activities within 5 km of LS1 4AP, best matches first" in content
        assert "Matching everything you chose: 11, first." in content
    assert len(_names_in_order(pages["1"])) == 20 and len(_names_in_order(pages["2"])) == 3
    assert _names_in_order(pages["9"]) == _names_in_order(pages["2"])
    assert _names_in_order(pages["x"]) == _names_in_order(pages["1"])
