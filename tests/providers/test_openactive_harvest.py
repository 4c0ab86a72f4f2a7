"""Harvesting RPDE feeds from a real local HTTP server into the directory."""

import datetime
from decimal import Decimal

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    ListingChange,
    OneOffSession,
    OpenActiveFeed,
    Provider,
    Source,
    Venue,
    WeeklySlot,
)
from providers.openactive import importer
from providers.openactive.harvest import FeedBusy, feed_harvest
from tests.providers.openactive_fixtures.feeds import (
    deleted,
    example_data,
    facility_use,
    scheduled_session,
    session_series,
    updated,
)

ACTOR = "OpenActive import: Riverside sessions"


@pytest.fixture
def feed(partnership):
    return OpenActiveFeed.objects.create(
        partnership=partnership, name="Riverside sessions", url="http://127.0.0.1:1/unset"
    )


def harvest(feed, **options):
    options.setdefault("timeout", 2)
    return feed_harvest(feed=feed, allow_private_hosts=True, **options)


def start_at(feed, url):
    feed.url, feed.next_url = url, ""
    feed.save()


def directory_state() -> dict:
    """Everything a harvest could touch, to show a failed one changed nothing."""
    models = [
        Provider,
        Venue,
        Activity,
        WeeklySlot,
        OneOffSession,
        ActivitySuitability,
        ActivityAccessibility,
        ListingChange,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def imported(feed, server):
    """A feed already harvested once: two pages, three series at one place, then the end."""
    start_at(
        feed,
        server.chain(
            "feed",
            [[session_series(1, 100), session_series(2, 101)], [session_series(3, 102)]],
        ),
    )
    run = harvest(feed)
    assert (run.status, run.added) == ("ok", 3)
    feed.refresh_from_db()
    return feed


# --- a good harvest -------------------------------------------------------------------------


def test_harvest_follows_next_and_imports_providers_venues_and_activities(feed, server):
    start_at(
        feed,
        server.chain(
            "feed",
            [[session_series(1, 100), session_series(2, 101)], [session_series(3, 102)]],
        ),
    )

    run = harvest(feed)

    assert run.status == OpenActiveFeed.Status.OK
    assert (run.pages, run.added, run.updated, run.removed, run.rejected) == (3, 3, 0, 0, 0)
    assert run.error == "" and run.finished_at is not None
    assert server.requests == ["feed-1", "feed-2", "feed-3"]
    feed.refresh_from_db()
    assert feed.next_url == server.url("feed-3")  # the last page: where the next run resumes
    assert (feed.last_status, feed.last_error) == ("ok", "")
    assert feed.last_run_at == run.finished_at

    provider = Provider.objects.get()
    assert provider.name == "Everyone Active"
    assert provider.partnership == feed.partnership
    assert (provider.source, provider.feed, provider.website) == (
        Source.OPENACTIVE,
        feed,
        "https://www.everyoneactive.com/",
    )
    venue = Venue.objects.get()
    assert (venue.name, venue.postcode, venue.address_line_1) == (
        "Middlesbrough Sports Village",
        "TS4 3AE",
        "Alan Peacock Way",
    )
    assert (venue.latitude, venue.location_is_approximate) == (54.543964, False)

    activity = Activity.objects.get(external_id="1")
    assert activity.name == "Series 1"
    assert activity.activity_type.label == "Bodypump™"
    assert (activity.provider, activity.venue, activity.feed) == (provider, venue, feed)
    assert (activity.source, activity.source_modified) == (Source.OPENACTIVE, "100")
    assert activity.takes_referrals is False
    assert (activity.is_free, activity.price_full, activity.price_concession) == (
        False,
        Decimal("3.30"),
        None,
    )
    assert set(activity.suitability.values_list("tag", flat=True)) == {"beginners"}
    assert set(activity.accessibility.values_list("feature", flat=True)) == {"visual_impairment"}
    assert [(s.weekday, s.start_time, s.end_time) for s in activity.weekly_slots.all()] == [
        (1, datetime.time(8, 30), datetime.time(9, 30)),
        (6, datetime.time(8, 30), datetime.time(9, 30)),
    ]
    history = ListingChange.objects.filter(listing_public_id=activity.public_id).get()
    assert (history.action, history.system_actor) == (ListingChange.Action.IMPORTED, ACTOR)


def test_a_second_harvest_resumes_at_the_last_page_and_finds_nothing_new(imported, server):
    server.requests.clear()

    run = harvest(imported)

    assert server.requests == ["feed-3"]
    assert (run.status, run.pages, run.added, run.updated) == ("ok", 1, 0, 0)


def test_new_items_after_the_last_page_are_picked_up_next_time(imported, server):
    server.page("feed-3", [session_series(4, 103)], next_path="feed-4")
    server.page("feed-4", [])

    run = harvest(imported)

    assert (run.added, run.pages) == (1, 2)
    assert Activity.objects.filter(external_id="4").exists()
    imported.refresh_from_db()
    assert imported.next_url == server.url("feed-4")


def test_a_deleted_item_archives_its_listing_through_the_service(imported, server):
    server.page("feed-3", [deleted(2, 103)], next_path="feed-4")
    server.page("feed-4", [])

    run = harvest(imported)

    assert (run.removed, run.added, run.updated) == (1, 0, 0)
    activity = Activity.objects.get(external_id="2")
    assert activity.is_archived
    assert Activity.objects.live().count() == 2
    change = ListingChange.objects.filter(listing_public_id=activity.public_id).first()
    assert (change.action, change.system_actor) == (ListingChange.Action.REMOVED_BY_FEED, ACTOR)


def test_deleting_an_item_never_imported_counts_nothing(imported, server):
    server.page("feed-3", [deleted(99, 103)], next_path="feed-4")
    server.page("feed-4", [])

    run = harvest(imported)

    assert (run.status, run.removed) == ("ok", 0)


def test_an_item_back_in_the_feed_after_removal_is_restored(imported, server):
    server.page("feed-3", [deleted(2, 103)], next_path="feed-4")
    server.page("feed-4", [session_series(2, 104)], next_path="feed-5")
    server.page("feed-5", [])

    run = harvest(imported)

    assert (run.removed, run.updated) == (1, 1)
    assert not Activity.objects.get(external_id="2").is_archived


def test_a_listing_archived_by_an_officer_stays_archived_when_its_item_changes(
    imported, server, partnership_staff
):
    from providers.services import listing_archive

    activity = Activity.objects.get(external_id="2")
    listing_archive(listing=activity, by=partnership_staff)
    server.page("feed-3", [session_series(2, 104, name="Renamed")], next_path="feed-4")
    server.page("feed-4", [])

    harvest(imported)

    activity.refresh_from_db()
    assert activity.name == "Renamed"
    assert activity.is_archived


def test_a_reharvest_updates_only_items_whose_modified_changed(imported, server):
    before = {a.external_id: a for a in Activity.objects.all()}
    changes_before = ListingChange.objects.count()
    start_at(
        imported,
        server.chain(
            "again",
            [
                [
                    session_series(1, 100, name="Changed but same modified"),
                    session_series(2, 201, name="Series 2, now on Mondays"),
                    session_series(3, 102),
                ]
            ],
        ),
    )

    run = harvest(imported)

    assert (run.added, run.updated, run.removed, run.rejected) == (0, 1, 0, 0)
    after = {a.external_id: a for a in Activity.objects.all()}
    assert after["1"].name == "Series 1"  # same modified: not applied
    assert after["1"].updated_at == before["1"].updated_at
    assert after["2"].name == "Series 2, now on Mondays"
    assert after["2"].source_modified == "201"
    assert after["3"].updated_at == before["3"].updated_at
    new_changes = ListingChange.objects.order_by("pk")[changes_before:]
    assert [(c.listing_public_id, c.action) for c in new_changes] == [
        (after["2"].public_id, ListingChange.Action.UPDATED)
    ]
    assert new_changes[0].changes["name"] == ["Series 2", "Series 2, now on Mondays"]


def test_a_new_modified_with_nothing_we_show_changed_adds_no_history(imported, server):
    changes_before = ListingChange.objects.count()
    places_left = session_series(1, 200, remainingAttendeeCapacity=3)
    server.page("feed-3", [places_left], next_path="feed-4")
    server.page("feed-4", [])

    run = harvest(imported)

    assert (run.updated, run.added) == (0, 0)
    assert Activity.objects.get(external_id="1").source_modified == "200"
    assert ListingChange.objects.count() == changes_before


def test_an_item_twice_on_one_page_ends_with_its_later_version(imported, server):
    server.page(
        "feed-3",
        [session_series(1, 300, name="First"), session_series(1, 301, name="Second")],
        next_path="feed-4",
    )
    server.page("feed-4", [])

    run = harvest(imported)

    assert run.updated == 2
    assert Activity.objects.get(external_id="1").name == "Second"


def test_an_update_keeps_the_tags_an_officer_added(imported, server):
    activity = Activity.objects.get(external_id="1")
    ActivitySuitability.objects.create(activity=activity, tag="mental_health_aware")
    ActivityAccessibility.objects.create(activity=activity, feature="step_free")
    data = session_series(1, 300)["data"]
    data["level"], data["accessibilitySupport"] = [], []
    server.page("feed-3", [updated(1, 300, data, kind="SessionSeries")], next_path="feed-4")
    server.page("feed-4", [])

    harvest(imported)

    assert set(activity.suitability.values_list("tag", flat=True)) == {"mental_health_aware"}
    assert set(activity.accessibility.values_list("feature", flat=True)) == {"step_free"}


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
    assert (run.added, run.rejected) == (1, 6)
    assert run.rejections == [
        {"id": "2", "kind": "SessionSeries", "problem": "SessionSeries has no name"},
        {"id": "3", "kind": "SessionSeries", "problem": "SessionSeries has no location"},
        {"id": "4", "kind": "SessionSeries", "problem": "Unknown activity 'Underwater hockey'"},
        {"id": "5", "kind": "SessionSeries", "problem": "Place has no postcode or coordinates"},
        {
            "id": "6",
            "kind": "SessionSeries",
            "problem": "Place postcode 'NOT A CODE' is not a real UK postcode",
        },
        {"id": "7", "kind": "Slot", "problem": "Items of kind 'Slot' are not imported"},
    ]
    assert list(Activity.objects.values_list("external_id", flat=True)) == ["1"]


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


# --- a failed run changes nothing -------------------------------------------------------------


def _publish_failure(server, scenario):
    """Make the feed's resume point (feed-3) fail in one way."""
    if scenario == "invalid JSON":
        server.raw("feed-3", '{"next": "feed-4", "items": [')
    elif scenario == "malformed page":
        server.raw("feed-3", '{"next": "http://127.0.0.1/x", "items": {"id": 1}}')
    elif scenario == "malformed item":
        new = session_series(9, 900)
        new.pop("modified")
        server.page("feed-3", [session_series(8, 800), new], next_path="feed-4")
    elif scenario == "no next link":
        server.raw("feed-3", '{"items": []}')
    elif scenario == "HTTP 500":
        server.raw("feed-3", "Internal error", status=500)
    elif scenario == "looping next":
        # The feed replays pages it has sent already, round and round.
        server.page("feed-3", [session_series(3, 102)], next_path="loop")
        server.page("loop", [session_series(1, 100)], next_path="feed-3")
    elif scenario == "timeout":
        server.page("feed-3", [session_series(4, 103)], next_path="feed-4")
        status, body, _ = server.routes["feed-3"]
        server.routes["feed-3"] = (status, body, 1.5)


FAILURES = {
    "invalid JSON": "The page at {url} is not valid JSON",
    "malformed page": "The page at {url} is not a proper OpenActive feed page: it has no list of "
    "items.",
    "malformed item": "The page at {url} is not a proper OpenActive feed page: item 9 has no "
    "modified value.",
    "no next link": "The page at {url} is not a proper OpenActive feed page: it has no link to "
    "the next page.",
    "HTTP 500": "The feed's server answered with an error (HTTP 500 Internal Server Error) at "
    "{url}.",
    "looping next": "The feed is going round in a loop: it sent the same items again at {url}.",
    "timeout": "The feed did not answer within 0.5 seconds at {url}.",
}


@pytest.mark.parametrize("scenario", sorted(FAILURES))
def test_a_failed_run_is_recorded_and_leaves_existing_listings_exactly_as_they_were(
    imported, server, scenario
):
    before = directory_state()
    _publish_failure(server, scenario)

    run = harvest(imported, timeout=0.5)

    assert run.status == OpenActiveFeed.Status.FAILED
    assert run.error.startswith(FAILURES[scenario].format(url=server.url("feed-3")))
    assert run.finished_at is not None
    imported.refresh_from_db()
    assert imported.last_status == OpenActiveFeed.Status.FAILED
    assert imported.last_error == run.error
    assert imported.next_url == server.url("feed-3")  # not advanced past the failure
    assert directory_state() == before


def test_a_database_failure_mid_page_fails_the_run_loudly_and_keeps_the_page(
    imported, server, monkeypatch
):
    before = directory_state()

    def database_gone(self, items):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(importer.FeedImporter, "import_page", database_gone)
    server.page("feed-3", [session_series(4, 103)], next_path="feed-4")

    with pytest.raises(OperationalError):
        harvest(imported)

    run = imported.runs.order_by("-pk").first()
    assert run.status == "failed"
    assert run.error.startswith("The harvest stopped because of a problem in TalkingMoves")
    imported.refresh_from_db()
    assert imported.next_url == server.url("feed-3")
    assert directory_state() == before


def test_a_failure_on_the_first_page_says_nothing_was_changed(imported, server):
    server.raw("feed-3", "oops", status=500)

    run = harvest(imported)

    assert run.error.endswith("Nothing was changed; the next harvest will try again.")


def test_a_run_that_fails_part_way_keeps_finished_pages_and_resumes_at_the_failed_one(feed, server):
    start_at(
        feed,
        server.chain(
            "feed",
            [[session_series(1, 100)], [session_series(2, 101)], [session_series(3, 102)]],
        ),
    )
    server.raw("feed-2", "Service unavailable", status=503)

    first = harvest(feed)

    assert (first.status, first.pages, first.added) == ("failed", 1, 1)
    assert first.error.endswith(
        "The 1 page before it were imported; the next harvest carries on from the page that failed."
    )
    feed.refresh_from_db()
    assert feed.next_url == server.url("feed-2")
    assert list(Activity.objects.values_list("external_id", flat=True)) == ["1"]

    server.page("feed-2", [session_series(2, 101)], next_path="feed-3")
    server.requests.clear()
    second = harvest(feed)

    assert server.requests == ["feed-2", "feed-3", "feed-4"]  # page 1 is not fetched again
    assert (second.status, second.added) == ("ok", 2)
    assert Activity.objects.count() == 3


def test_a_feed_that_never_ends_stops_at_the_page_limit_and_carries_on_next_time(feed, server):
    start_at(
        feed,
        server.chain("feed", [[session_series(n, 100 + n)] for n in range(1, 4)]),
    )

    first = harvest(feed, max_pages=2)

    assert first.status == "failed"
    assert first.error.startswith(
        "The harvest stopped after 2 pages without reaching the end of the feed"
    )
    assert (first.pages, first.added) == (2, 2)
    feed.refresh_from_db()
    assert feed.next_url == server.url("feed-3")
    second = harvest(feed, max_pages=2)
    assert (second.status, second.added) == ("ok", 1)


def test_a_feed_on_a_private_network_is_refused_unless_allowed(feed, server):
    start_at(feed, server.chain("feed", [[session_series(1, 100)]]))

    run = feed_harvest(feed=feed, allow_private_hosts=False)

    assert run.status == "failed"
    assert "points to a private network, so it was not fetched" in run.error
    assert server.requests == []
    assert not Activity.objects.exists()


def test_a_feed_already_being_harvested_is_not_harvested_twice(feed, server):
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [0x0A0E, feed.pk])
        with pytest.raises(FeedBusy):
            harvest(feed)
    finally:
        other.close()
    assert not feed.runs.exists()


# --- other kinds of item ----------------------------------------------------------------------


def test_scheduled_sessions_join_their_series_and_leave_when_deleted_or_cancelled(imported, server):
    sessions = server.chain(
        "sessions",
        [
            [
                scheduled_session(
                    "s1", 1, series_id=1, start="2030-05-07T08:30:00Z", end="2030-05-07T09:30:00Z"
                ),
                scheduled_session(
                    "s2", 2, series_id=2, start="2030-05-08T08:30:00Z", end="2030-05-08T09:30:00Z"
                ),
                scheduled_session(
                    "s3", 3, series_id=77, start="2030-05-09T08:30:00Z", end="2030-05-09T09:30:00Z"
                ),
            ]
        ],
    )
    session_feed = OpenActiveFeed.objects.create(
        partnership=imported.partnership, name="Riverside sessions", url=sessions
    )

    run = harvest(session_feed)

    assert (run.added, run.rejected) == (2, 1)
    assert run.rejections[0]["problem"] == (
        "ScheduledSession belongs to a SessionSeries that has not been imported "
        "('https://example.org/api/session-series/77')"
    )
    series_1 = Activity.objects.get(external_id="1")
    session = series_1.one_off_sessions.get()
    assert session.starts_at == datetime.datetime(2030, 5, 7, 8, 30, tzinfo=datetime.UTC)

    server.page(
        "sessions-2",
        [
            deleted("s1", 4, kind="ScheduledSession"),
            scheduled_session(
                "s2",
                5,
                series_id=2,
                start="2030-05-08T08:30:00Z",
                end="2030-05-08T09:30:00Z",
                eventStatus="https://schema.org/EventCancelled",
            ),
        ],
        next_path="sessions-3",
    )
    server.page("sessions-3", [])
    run = harvest(session_feed)

    assert run.removed == 2
    assert not OneOffSession.objects.exists()


def test_sessions_listed_inside_a_series_become_dated_sessions(feed, server):
    data = example_data("sessionseries")
    start_at(
        feed,
        server.chain("feed", [[updated("1402CBP20150217", 1, data, kind="SessionSeries")]]),
    )

    harvest(feed)

    activity = Activity.objects.get()
    assert [s.starts_at.isoformat() for s in activity.one_off_sessions.all()] == [
        "2018-10-02T19:15:00+00:00",
        "2018-10-09T19:15:00+00:00",
    ]
    data["subEvent"] = data["subEvent"][1:]
    server.page(
        "feed-2", [updated("1402CBP20150217", 2, data, kind="SessionSeries")], next_path="x"
    )
    server.page("x", [])
    harvest(feed)
    assert activity.one_off_sessions.count() == 1


def test_a_facility_use_becomes_an_activity_with_its_opening_hours(feed, server):
    start_at(feed, server.chain("feed", [[facility_use("court-1", 1)]]))

    run = harvest(feed)

    assert (run.added, run.rejected) == (1, 0)
    activity = Activity.objects.get()
    assert (activity.name, activity.activity_type.label) == ("Outdoor Tennis", "Tennis")
    assert (activity.price_full, activity.is_free) == (Decimal("10.00"), False)
    assert activity.weekly_slots.filter(weekday=6).get().start_time == datetime.time(9, 0)
    assert activity.venue.name == "Example Leisure Centre"


def test_an_online_series_needs_no_location(feed, server):
    data = example_data("sessionseries-split-virtual")
    start_at(feed, server.chain("feed", [[updated("v1", 1, data, kind="SessionSeries")]]))

    run = harvest(feed)

    assert (run.added, run.rejected) == (1, 0)
    activity = Activity.objects.get()
    assert (activity.delivery_mode, activity.venue) == (Activity.DeliveryMode.ONLINE, None)
