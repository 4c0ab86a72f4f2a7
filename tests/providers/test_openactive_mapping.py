"""Mapping one OpenActive item's data to our fields, and the problems that refuse an item."""

import copy
import datetime
from decimal import Decimal

import pytest

from providers.models import Activity, ActivityType
from providers.openactive.activities import ActivityList
from providers.openactive.mapping import ItemProblem, map_listing, map_session
from tests.providers.openactive_fixtures.feeds import example_data


@pytest.fixture
def activities(db):
    return ActivityList.load()


def series(**changes) -> dict:
    data = copy.deepcopy(example_data("sessionseries-split"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def mapped(activities, data, kind="SessionSeries"):
    return map_listing(item_id="item-1", kind=kind, data=data, activities=activities)


def problem(activities, data, kind="SessionSeries") -> str:
    with pytest.raises(ItemProblem) as raised:
        mapped(activities, data, kind)
    return str(raised.value)


def test_the_example_session_series_maps_to_provider_venue_and_activity(activities):
    result = mapped(activities, series())

    assert result.provider.name == "Everyone Active"
    assert result.provider.key == "https://id.bookingsystem.example.com/organizers/1"
    assert (result.provider.email, result.provider.phone) == (
        "customerservices@gll.org",
        "01455 890508",
    )
    assert result.venue.postcode == "TS4 3AE"
    assert (result.venue.latitude, result.venue.longitude) == (54.543964, -1.20978500000001)
    assert result.venue.town == "Village East"
    activity = result.activity
    assert activity.name == "Virtual BODYPUMP"
    assert activity.activity_type.identifier == "5e78bcbe-36db-425a-9064-bf96d09cc351"
    assert activity.delivery_mode == Activity.DeliveryMode.IN_PERSON
    assert activity.suitability == {"beginners"}
    assert activity.accessibility == {"visual_impairment"}
    assert activity.weekly_slots == (
        (1, datetime.time(8, 30), datetime.time(9, 30)),
        (6, datetime.time(8, 30), datetime.time(9, 30)),
    )
    assert activity.sessions == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": None}, "SessionSeries has no name"),
        ({"name": "   "}, "SessionSeries has no name"),
        ({"location": None}, "SessionSeries has no location and is not online"),
        ({"organizer": None}, "SessionSeries has no organizer (the organisation that runs it)"),
        (
            {"organizer": {"@type": "Person", "name": "Pat Smith"}},
            "SessionSeries is run by a person, not an organisation",
        ),
        ({"organizer": {"@type": "Organization"}}, "Organization has no name"),
        ({"location": {"@type": "Place", "geo": {}}}, "Place has no name"),
        (
            {"location": {"@type": "Place", "name": "Hall", "address": {"postalCode": ""}}},
            "Place has no postcode or coordinates",
        ),
        (
            {"location": {"@type": "Place", "name": "Hall", "address": {"postalCode": "XX"}}},
            "Place postcode 'XX' is not a real UK postcode",
        ),
        (
            {"location": {"name": "Hall", "geo": {"latitude": 123, "longitude": 0}}},
            "Place coordinates (123.0, 0.0) are not on the map",
        ),
        (
            {"offers": [{"@type": "Offer", "price": -2}]},
            "SessionSeries has a price below zero (-2.00)",
        ),
        (
            {"offers": [{"@type": "Offer", "price": "a fiver"}]},
            "SessionSeries has a price that is not a number ('a fiver')",
        ),
        (
            {"offers": [{"@type": "Offer", "price": float("nan")}]},
            "SessionSeries has a price that is not a number ('nan')",
        ),
        (
            {
                "eventSchedule": [
                    {
                        "repeatFrequency": "P1W",
                        "byDay": ["MO"],
                        "startTime": "21:00",
                        "endTime": "20:00",
                    }
                ]
            },
            "SessionSeries schedule ends before it starts (21:00 to 20:00)",
        ),
    ],
)
def test_a_bad_item_is_refused_with_the_problem_named(activities, changes, expected):
    assert problem(activities, series(**changes)) == expected


def test_an_activity_is_found_by_label_when_its_id_is_not_on_the_list(activities):
    data = series(
        activity=[{"@id": "https://openactive.io/activity-list#not-a-real-id", "prefLabel": "yoga"}]
    )
    assert mapped(activities, data).activity.activity_type.label == "Yoga"


def test_an_activity_is_found_by_a_synonym_on_the_list(activities):
    synonym = ActivityType.objects.exclude(alt_labels=[]).exclude(identifier="other").first()
    data = series(activity=[{"@type": "Concept", "prefLabel": synonym.alt_labels[0].upper()}])
    assert mapped(activities, data).activity.activity_type in {
        synonym,
        *ActivityType.objects.filter(label__iexact=synonym.alt_labels[0]),
    }


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        (
            {"activity": [{"@type": "Concept", "prefLabel": "Underwater hockey"}]},
            "Underwater hockey",
        ),
        ({"activity": None, "name": "Tuesday club"}, "Tuesday club"),
    ],
)
def test_an_activity_not_on_the_list_is_kept_as_other_with_the_publishers_label(
    activities, changes, label
):
    activity = mapped(activities, series(**changes)).activity
    assert (activity.activity_type.label, activity.activity_label) == ("Other", label)


def test_an_activity_named_by_a_bare_string_is_found(activities):
    assert mapped(activities, series(activity=["Walking"])).activity.activity_type.label == (
        "Walking"
    )


@pytest.mark.parametrize(
    ("offers", "free_flag", "expected"),
    [
        ([], None, (False, None, None)),
        ([{"price": 0}], None, (True, None, None)),
        ([{"price": 5}], True, (True, None, None)),
        ([{"price": 5}, {"price": "3.5"}], None, (False, Decimal("5.00"), Decimal("3.50"))),
        ([{"price": 4}, {"price": 4}], None, (False, Decimal("4.00"), None)),
        ([{"price": 4}, {"price": 0}], None, (False, Decimal("4.00"), Decimal("0.00"))),
    ],
)
def test_prices_come_from_offers(activities, offers, free_flag, expected):
    data = series(offers=offers, isAccessibleForFree=free_flag)
    activity = mapped(activities, data).activity
    assert (activity.is_free, activity.price_full, activity.price_concession) == expected


@pytest.mark.parametrize(
    ("changes", "tags"),
    [
        ({"genderRestriction": "https://openactive.io/FemaleOnly"}, {"women_only"}),
        ({"genderRestriction": "https://openactive.io/MaleOnly"}, {"men_only"}),
        ({"ageRange": {"minValue": 55}}, {"over_50s"}),
        ({"ageRange": {"minValue": 18, "maxValue": 25}}, {"age_18_25"}),
        ({"level": [{"@type": "Concept", "prefLabel": "Beginner Level"}]}, {"beginners"}),
        ({"level": ["Advanced"]}, set()),
    ],
)
def test_suitability_comes_from_gender_age_and_level(activities, changes, tags):
    data = series(**{"level": [], "ageRange": None, **changes})
    assert mapped(activities, data).activity.suitability == tags


def test_schedules_understand_days_daily_repeats_and_durations(activities):
    data = series(
        eventSchedule=[
            {
                "repeatFrequency": "P1W",
                "byDay": ["MO", "schema:Friday"],
                "startTime": "10:00",
                "duration": "PT45M",
            },
            {"repeatFrequency": "P1D", "startTime": "07:00", "endTime": "07:30"},
            {"repeatFrequency": "P1M", "byDay": ["MO"], "startTime": "12:00", "endTime": "13:00"},
        ]
    )
    slots = mapped(activities, data).activity.weekly_slots
    assert (0, datetime.time(10), datetime.time(10, 45)) in slots
    assert (4, datetime.time(10), datetime.time(10, 45)) in slots
    assert {day for day, start, _ in slots if start == datetime.time(7)} == set(range(7))
    assert not [slot for slot in slots if slot[1] == datetime.time(12)]  # monthly: no slot


def test_contact_details_that_are_not_valid_are_left_out(activities):
    organizer = {"@type": "Organization", "name": "Club", "url": "not a url", "email": "nope"}
    provider = mapped(activities, series(organizer=organizer)).provider
    assert (provider.website, provider.email, provider.key) == ("", "", "name:club")


def test_an_address_given_as_text_still_yields_its_postcode(activities):
    place = {"@type": "Place", "name": "Hall", "address": "1 Park Road, Leeds ls14ap"}
    venue = mapped(activities, series(location=place)).venue
    assert (venue.postcode, venue.address_line_1) == ("LS1 4AP", "1 Park Road, Leeds ls14ap")


def test_a_place_used_by_two_organisations_is_a_venue_of_each(activities):
    first = mapped(activities, series()).venue.key
    other_org = {"@type": "Organization", "@id": "https://example.org/org/2", "name": "Club"}
    second = mapped(activities, series(organizer=other_org)).venue.key
    assert first != second


def test_a_facility_use_finds_its_activity_from_the_facility_type(activities):
    data = copy.deepcopy(example_data("facilityuse"))
    assert mapped(activities, data, "FacilityUse").activity.activity_type.label == "Tennis"
    data["facilityType"] = [{"@type": "Concept", "prefLabel": "Sports Hall"}]
    other = mapped(activities, data, "FacilityUse").activity
    assert (other.activity_type.label, other.activity_label) == ("Other", "Sports Hall")
    data.pop("provider")
    assert problem(activities, data, "FacilityUse") == (
        "FacilityUse has no provider (the organisation that runs it)"
    )


def test_a_scheduled_session_points_at_its_series():
    data = copy.deepcopy(example_data("scheduledsession-split"))

    session = map_session(data=data)

    assert session.series_keys == (
        "https://opensessions.io/api/session-series/1402CBP20150217",
        "1402CBP20150217",
    )
    assert session.starts_at == datetime.datetime(2016, 5, 9, 18, 15, tzinfo=datetime.UTC)
    assert session.ends_at - session.starts_at == datetime.timedelta(hours=1)
    assert session.is_happening


def test_a_scheduled_session_without_an_end_uses_its_duration_and_local_time():
    data = copy.deepcopy(example_data("scheduledsession-split"))
    data.pop("endDate")
    data["startDate"] = "2030-07-01T18:00:00"  # no offset: UK local time (BST)

    session = map_session(data=data)

    assert session.starts_at.utcoffset() == datetime.timedelta(hours=1)
    assert session.ends_at - session.starts_at == datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"superEvent": None},
            "ScheduledSession has no superEvent (the SessionSeries it belongs to)",
        ),
        ({"startDate": None}, "ScheduledSession has no start date"),
        (
            {"startDate": "next Tuesday"},
            "ScheduledSession start date 'next Tuesday' is not a date and time",
        ),
        ({"endDate": "2016-05-09T17:00:00Z"}, "ScheduledSession ends before it starts"),
        ({"endDate": None, "duration": None}, "ScheduledSession has no end date or duration"),
    ],
)
def test_a_bad_scheduled_session_is_refused(changes, expected):
    data = copy.deepcopy(example_data("scheduledsession-split"))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    with pytest.raises(ItemProblem) as raised:
        map_session(data=data)
    assert str(raised.value) == expected
