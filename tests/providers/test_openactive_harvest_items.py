"""Harvesting the other kinds of item: scheduled sessions, sessions inside a series,
facility uses and online series."""

import datetime
from decimal import Decimal

from providers.models import (
    Activity,
    OneOffSession,
    OpenActiveFeed,
)
from tests.providers.openactive_fixtures.feeds import (
    deleted,
    example_data,
    facility_use,
    scheduled_session,
    updated,
)
from tests.providers.openactive_fixtures.harvesting import (
    harvest,
    start_at,
)

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
