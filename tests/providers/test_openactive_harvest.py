"""Harvesting RPDE feeds from a real local HTTP server into the directory: a good harvest,
and what the next harvests add, change, archive and restore."""

import datetime
from decimal import Decimal

from django.urls import reverse

from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    ListingChange,
    OpenActiveFeed,
    Provider,
    Source,
    Venue,
)
from tests.providers.openactive_fixtures.feeds import (
    deleted,
    session_series,
    updated,
)
from tests.providers.openactive_fixtures.harvesting import (
    ACTOR,
    harvest,
    start_at,
)

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


def test_a_listing_its_feed_deleted_shows_as_withdrawn_by_the_feed(
    imported, server, client_for, partnership_staff
):
    server.page("feed-3", [deleted(2, 103)], next_path="feed-4")
    server.page("feed-4", [])
    harvest(imported)
    withdrawn = Activity.objects.get(external_id="2")
    archived_by_hand = Activity.objects.get(external_id="1")
    archived_by_hand.archived_at = withdrawn.archived_at
    archived_by_hand.save(update_fields=["archived_at"])

    def tag(activity):
        url = reverse("providers:activity_detail", args=[activity.public_id])
        return client_for(partnership_staff).get(url).content.decode()

    assert "Withdrawn by its feed" in tag(withdrawn)
    assert Activity.objects.filter(pk=withdrawn.pk).exists()  # kept, not deleted
    assert "Withdrawn by its feed" not in tag(archived_by_hand)
    assert ">Archived<" in tag(archived_by_hand)


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
