"""The OpenActive RPDE feed of session series: ordered by (modified, id), deletions
included, `next` on the last page pointing at itself, and what each SessionSeries says."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import OneOffSession
from providers.open_data import views
from providers.open_data.openactive import modified_number
from providers.services import listing_archive
from tests.providers.factories import ActivityFactory
from tests.providers.open_data_fixtures import (
    HOUR,
    full_activity,
    in_house_activity,
    set_updated_at,
)
from tests.providers.open_data_fixtures.openactive import (
    FEED,
    HOST,
    T0,
    follow,
    harvested,
    scheduled,
)

pytestmark = pytest.mark.django_db

# --- RPDE ordering and paging ---------------------------------------------------------


def test_items_are_ordered_by_modified_then_id(get):
    later, earliest, middle = scheduled(), scheduled(), scheduled()
    set_updated_at(later, T0 + timedelta(minutes=2))
    set_updated_at(earliest, T0)
    set_updated_at(middle, T0 + timedelta(minutes=1))

    items = get().json()["items"]

    assert [item["id"] for item in items] == [str(a.public_id) for a in (earliest, middle, later)]
    assert [item["modified"] for item in items] == sorted(item["modified"] for item in items)
    assert all(isinstance(item["modified"], int) for item in items)
    assert items[0]["modified"] == modified_number(T0)


def test_paging_through_items_with_the_same_timestamp_skips_and_repeats_none(get, monkeypatch):
    monkeypatch.setattr(views, "FEED_PAGE_SIZE", 1)
    same = [scheduled() for _ in range(3)]
    for activity in same:
        set_updated_at(activity, T0)
    before = scheduled()
    set_updated_at(before, T0 - timedelta(microseconds=1))

    pages = follow(get)

    expected = [str(before.public_id), *sorted(str(a.public_id) for a in same)]
    assert [item_id for item_id, _ in harvested(pages)] == expected
    second = parse_qs(urlsplit(pages[1]["next"]).query)
    assert second["afterTimestamp"] == [str(modified_number(T0))]
    assert second["afterId"] == [expected[1]]


def test_the_last_page_is_empty_and_its_next_is_itself(get):
    scheduled()

    pages = follow(get)

    last = pages[-1]
    assert last["items"] == []
    assert last["next"] == pages[-2]["next"]
    assert get(last["next"]).json()["next"] == last["next"]
    assert last["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_an_empty_feed_points_next_at_itself(get):
    page = get().json()

    assert page == {
        "next": f"http://{HOST}{FEED}",
        "items": [],
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }


def test_changes_after_a_harvest_appear_when_polling_the_last_next(get):
    changed, archived, untouched = scheduled(), scheduled(), scheduled()
    for activity in (changed, archived, untouched):
        set_updated_at(activity, T0)
    poll_url = follow(get)[-1]["next"]

    changed.name = "Renamed"
    changed.updated_at = timezone.now()
    changed.save()
    listing_archive(listing=archived, system_actor="test")

    again = follow(get, poll_url)
    assert sorted(harvested(again)) == sorted(
        [(str(changed.public_id), "updated"), (str(archived.public_id), "deleted")]
    )


def test_archived_activities_are_deleted_items_without_data(get):
    archived = scheduled(archived=True)

    [item] = get().json()["items"]

    assert item == {
        "state": "deleted",
        "kind": "SessionSeries",
        "id": str(archived.public_id),
        "modified": item["modified"],
    }


def test_archiving_a_provider_deletes_its_activities_from_the_feed(get):
    activity = scheduled()
    set_updated_at(activity, T0)
    poll_url = follow(get)[-1]["next"]

    listing_archive(listing=activity.provider, system_actor="test")

    assert harvested(follow(get, poll_url)) == [(str(activity.public_id), "deleted")]


def test_changing_the_venue_republishes_its_activities(get):
    activity = scheduled()
    set_updated_at(activity, T0)
    poll_url = follow(get)[-1]["next"]

    venue = activity.venue
    venue.name = "The new hall"
    venue.updated_at = timezone.now()
    venue.save()

    [(item_id, state)] = harvested(follow(get, poll_url))
    assert (item_id, state) == (str(activity.public_id), "updated")


def test_activities_with_no_times_to_show_are_deleted_items(get):
    no_times = ActivityFactory()
    only_past = ActivityFactory()
    yesterday = timezone.now() - timedelta(days=1)
    OneOffSession.objects.create(activity=only_past, starts_at=yesterday, ends_at=yesterday + HOUR)

    states = dict(harvested([get().json()]))

    assert states == {str(no_times.public_id): "deleted", str(only_past.public_id): "deleted"}


def test_in_house_offers_never_appear_in_the_feed(get):
    private = in_house_activity()
    private.weekly_slots.create(weekday=0, start_time="18:00", end_time="19:00")
    private_archived = in_house_activity(archived=True)
    shared = scheduled()

    ids = [item_id for item_id, _ in harvested(follow(get))]

    assert ids == [str(shared.public_id)]
    assert str(private_archived.public_id) not in ids


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"afterTimestamp": "1"}, "afterTimestamp and afterId must be given together"),
        ({"afterId": "x"}, "afterTimestamp and afterId must be given together"),
        (
            {"afterTimestamp": "yesterday", "afterId": "00000000-0000-0000-0000-000000000000"},
            "afterTimestamp must be the modified value of an item in this feed",
        ),
        (
            {"afterTimestamp": "9" * 30, "afterId": "00000000-0000-0000-0000-000000000000"},
            "afterTimestamp must be the modified value of an item in this feed",
        ),
        (
            {"afterTimestamp": "9" * 5000, "afterId": "00000000-0000-0000-0000-000000000000"},
            "afterTimestamp must be the modified value of an item in this feed",
        ),
        ({"afterTimestamp": "1", "afterId": "walk"}, "afterId must be a UUID"),
    ],
)
def test_a_bad_cursor_is_a_400_in_json(get, query, message):
    response = get(**query)

    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_feed_is_public_cacheable_get_only_and_open_to_any_origin(client, get):
    response = get()
    post = client.post(FEED, HTTP_HOST=HOST)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert post.status_code == 405
    assert post["Access-Control-Allow-Origin"] == "*"


def test_a_feed_page_takes_a_constant_number_of_queries(get, django_assert_max_num_queries):
    for n in range(20):
        full_activity(name=f"Walk {n}")
    scheduled(archived=True)

    # Eight to read the page's rows, three to keep what it wrote (kept_items.py: one
    # statement, in a savepoint).
    with django_assert_max_num_queries(11):
        items = get().json()["items"]

    assert len(items) == 21


# --- The SessionSeries itself -----------------------------------------------------------


def test_session_series_carries_what_activity_finders_need(get):
    activity = full_activity()

    [item] = get().json()["items"]
    data = item["data"]

    assert item["kind"] == "SessionSeries"
    assert data["@context"] == ["https://openactive.io/", "https://openactive.io/ns-beta"]
    assert data["@type"] == "SessionSeries"
    assert data["@id"] == f"http://{HOST}{FEED}/{activity.public_id}"
    assert data["activity"] == [
        {
            "@type": "Concept",
            "@id": activity.activity_type.uri,
            "prefLabel": "Walking",
            "inScheme": "https://openactive.io/activity-list",
        }
    ]
    assert data["organizer"]["name"] == "Riverside Leisure Trust"
    assert data["location"]["address"]["postalCode"] == "LS1 4AP"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 53.7974,
        "longitude": -1.5438,
    }
    assert [
        (s["byDay"], s["startTime"], s["endTime"], s["repeatFrequency"], s["scheduleTimezone"])
        for s in data["eventSchedule"]
    ] == [
        (["https://schema.org/Saturday"], "09:30", "11:00", "P1W", "Europe/London"),
        (
            ["https://schema.org/Tuesday", "https://schema.org/Thursday"],
            "10:00",
            "11:00",
            "P1W",
            "Europe/London",
        ),
    ]
    assert len(data["subEvent"]) == 1
    assert [(o["price"], o["priceCurrency"]) for o in data["offers"]] == [
        (4.5, "GBP"),
        (2, "GBP"),
    ]
    assert data["accessibilitySupport"] == [
        {
            "@type": "Concept",
            "@id": "https://openactive.io/accessibility-support#40b9b11f-bdd3-4aeb-8984-2ecf74a14c7a",
            "prefLabel": "Mental health issues",
            "inScheme": "https://openactive.io/accessibility-support",
        }
    ]
    assert data["accessibilityInformation"] == (
        "Hearing loop. Step-free access. Accessible toilet. Lift to all floors."
    )
    assert data["genderRestriction"] == "https://openactive.io/FemaleOnly"
    assert data["ageRange"] == {"@type": "QuantitativeValue", "minValue": 50}
    assert data["level"] == ["Beginner"]
    assert "isAccessibleForFree" not in data


def test_free_online_session_series(get):
    activity = ActivityFactory(online=True, provider__website="", is_free=True)
    activity.weekly_slots.create(weekday=2, start_time="19:00", end_time="19:45")

    data = get().json()["items"][0]["data"]

    assert "location" not in data
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["isAccessibleForFree"] is True
    assert data["offers"][0]["price"] == 0
    assert data["genderRestriction"] == "https://openactive.io/NoRestriction"
    # No website: the public service record is the page that describes it.
    assert data["url"] == f"http://{HOST}" + reverse(
        "open_data:oruk_service", args=[activity.public_id]
    )
