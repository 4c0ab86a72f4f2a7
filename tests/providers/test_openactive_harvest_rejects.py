"""Harvesting a feed with bad items: each is rejected with its problem named, never half
saved, and the good ones still import."""

from django.core.exceptions import ValidationError

from providers.models import (
    Activity,
    ListingChange,
    OpenActiveFeed,
    Provider,
    Venue,
)
from providers.openactive import importer
from tests.providers.openactive_fixtures.feeds import (
    example_data,
    session_series,
    updated,
)
from tests.providers.openactive_fixtures.harvesting import (
    directory_state,
    harvest,
    start_at,
)

# --- bad items --------------------------------------------------------------------------------


def test_bad_items_are_rejected_with_the_problem_named_and_good_ones_import(feed, server):
    no_postcode = session_series(5, 105)
    no_postcode["data"]["location"]["address"].pop("postalCode")
    no_postcode["data"]["location"].pop("geo")
    bad_postcode = session_series(6, 106)
    bad_postcode["data"]["location"]["address"]["postalCode"] = "NOT A CODE"
    start_at(
        feed,
        server.chain(
            "feed",
            [
                [
                    session_series(1, 100),
                    session_series(2, 101, name=""),
                    session_series(3, 102, location=None),
                    session_series(
                        4,
                        103,
                        activity=[{"@type": "Concept", "prefLabel": "Underwater hockey"}],
                    ),
                    no_postcode,
                    bad_postcode,
                    updated(7, 107, example_data("sessionseries-split"), kind="Slot")
                    | {"data": {"@type": "Slot"}},
                ]
            ],
        ),
    )

    run = harvest(feed)

    assert run.status == OpenActiveFeed.Status.OK
    assert (run.added, run.rejected) == (2, 5)
    assert run.rejections == [
        {"id": "2", "kind": "SessionSeries", "problem": "SessionSeries has no name"},
        {
            "id": "3",
            "kind": "SessionSeries",
            "problem": "SessionSeries has no location and is not online",
        },
        {"id": "5", "kind": "SessionSeries", "problem": "Place has no postcode or coordinates"},
        {
            "id": "6",
            "kind": "SessionSeries",
            "problem": "Place postcode 'NOT A CODE' is not a real UK postcode",
        },
        {
            "id": "7",
            "kind": "Slot",
            "problem": "Slot has no facilityUse (the facility it is a time of)",
        },
    ]
    # An activity not on the Activity List is listed as Other, with the publisher's label.
    assert sorted(Activity.objects.values_list("external_id", "feed_activity_label")) == [
        ("1", ""),
        ("4", "Underwater hockey"),
    ]


def test_a_bad_update_leaves_the_saved_listing_as_it_was(imported, server):
    before = directory_state()
    broken = session_series(2, 500, name="")
    broken["data"]["organizer"]["name"] = "A new name for the organiser"
    server.page("feed-3", [broken], next_path="feed-4")
    server.page("feed-4", [])

    run = harvest(imported)

    assert (run.status, run.rejected, run.updated) == ("ok", 1, 0)
    assert directory_state() == before


def test_an_item_that_fails_part_way_through_saving_is_not_half_saved(feed, server, monkeypatch):
    real_activity_save = importer.activity_save

    def refuse_series_2(*, activity, **kwargs):
        if activity.external_id == "2":
            raise ValidationError({"name": ["Something the database refused"]})
        return real_activity_save(activity=activity, **kwargs)

    monkeypatch.setattr(importer, "activity_save", refuse_series_2)
    other_place = session_series(2, 101)
    other_place["data"]["organizer"] = {"@type": "Organization", "name": "Only in series 2"}
    other_place["data"]["location"] = {
        "@type": "Place",
        "name": "Only in series 2",
        "address": {"@type": "PostalAddress", "postalCode": "LS1 4AP"},
    }
    start_at(feed, server.chain("feed", [[session_series(1, 100), other_place]]))

    run = harvest(feed)

    assert (run.added, run.rejected) == (1, 1)
    assert run.rejections[0]["problem"] == (
        "Activity could not be saved (name: Something the database refused)"
    )
    # Series 2's provider and venue were saved before its activity failed: rolled back too.
    assert list(Provider.objects.values_list("name", flat=True)) == ["Everyone Active"]
    assert list(Venue.objects.values_list("name", flat=True)) == ["Middlesbrough Sports Village"]
    assert not ListingChange.objects.filter(listing_name="Only in series 2").exists()


def test_an_item_refused_after_its_provider_was_saved_is_rolled_back_whole(feed, server):
    too_big = session_series(2, 101, maximumAttendeeCapacity=10**12)
    too_big["data"]["organizer"] = {"@type": "Organization", "name": "Only in series 2"}
    start_at(feed, server.chain("feed", [[session_series(1, 100), too_big]]))

    run = harvest(feed)

    assert (run.added, run.rejected) == (1, 1)
    assert run.rejections[0]["problem"] == (
        "Activity could not be saved (capacity: Ensure this value is less than or equal to "
        "2147483647.)"
    )
    assert list(Provider.objects.values_list("name", flat=True)) == ["Everyone Active"]
    assert not ListingChange.objects.filter(listing_name="Only in series 2").exists()


def test_an_item_we_cannot_read_is_rejected_without_stopping_the_feed(
    feed, server, monkeypatch, caplog
):
    real_map_listing = importer.map_listing

    def trips_over_series_2(*, item_id, **kwargs):
        if item_id == "2":
            raise TypeError("an unforeseen shape of data")
        return real_map_listing(item_id=item_id, **kwargs)

    monkeypatch.setattr(importer, "map_listing", trips_over_series_2)
    start_at(feed, server.chain("feed", [[session_series(1, 100), session_series(2, 101)]]))

    run = harvest(feed)

    assert (run.status, run.added, run.rejected) == ("ok", 1, 1)
    assert run.rejections[0]["problem"] == importer.UNREADABLE
    assert "Could not import OpenActive item 2" in caplog.text
