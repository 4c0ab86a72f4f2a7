"""The real-world test feed (openactive_fixtures/realworld_feed.json): 38 items in the shapes
live OpenActive publishers send, every kind a finder shows. Nothing listable is rejected."""

import json

from providers.models import Activity, OneOffSession, OpenActiveFeed
from tests.providers.openactive_fixtures.feeds import HERE
from tests.providers.openactive_fixtures.harvesting import harvest, start_at

REAL_WORLD = json.loads((HERE / "realworld_feed.json").read_text(encoding="utf-8"))


def publish_real_world(feed, server):
    server.page("real-world", REAL_WORLD["items"], next_path="real-world-end")
    server.page("real-world-end", [])
    start_at(feed, server.url("real-world"))


def test_the_real_world_feed_lists_everything_listable_and_rejects_nothing(feed, server):
    publish_real_world(feed, server)

    run = harvest(feed)

    assert run.status == OpenActiveFeed.Status.OK, run.error
    assert len(REAL_WORLD["items"]) == 38
    assert (run.rejected, run.rejections) == (0, [])
    listed = dict(Activity.objects.filter(feed=feed).values_list("name", "delivery_mode"))
    # Courses, one-off and headline events, facilities (pay-as-you-go swimming among them),
    # series whose name sits on their EventSeries, series embedded in their sessions, online.
    assert "Netball Youth Camp" in listed
    assert "Watford Big Bike Day" in listed
    assert "Pay as you go lane swimming" in listed
    assert "Sports hall court 1" in listed  # an IndividualFacilityUse of "Badminton court hire"
    assert "Virtual BODYPUMP" in listed
    assert listed["Alan's indoor cycling exercises part 1"] == Activity.DeliveryMode.ONLINE
    assert listed["Virtual BODYPUMP"] in (Activity.DeliveryMode.ONLINE, "in_person")
    soft_play = Activity.objects.get(feed=feed, name="Sensory room sessions")
    assert (soft_play.activity_type.label, soft_play.feed_activity_label) == (
        "Other",
        "Sensory Room",
    )
    swim = Activity.objects.get(feed=feed, name="Pay as you go lane swimming")
    assert swim.one_off_sessions.count() == 4  # its Slots
    series = Activity.objects.get(feed=feed, external_id="ES-1402")
    assert series.one_off_sessions.count() == 3  # its ScheduledSessions, not the cancelled one
    assert OneOffSession.objects.filter(activity__feed=feed).count() >= 20
    # 4 items change nothing: a cancelled session never listed, three deletions of items never
    # harvested. The second item is the first series again (same id, split shape): updated.
    assert (run.added, run.updated, run.removed) == (33, 1, 0)


def test_harvesting_the_real_world_feed_again_changes_nothing(feed, server):
    publish_real_world(feed, server)
    harvest(feed)
    start_at(feed, server.url("real-world"))

    again = harvest(feed)

    assert (again.added, again.updated, again.removed, again.rejected) == (0, 0, 0, 0)
