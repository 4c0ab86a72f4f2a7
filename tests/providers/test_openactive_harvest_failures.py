"""A harvest that fails changes nothing it had not finished, says why, and resumes where it
stopped; runs are limited, private networks refused, and one feed harvested at a time."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, connection
from django.utils import timezone

from providers.models import (
    Activity,
    FeedRun,
    OpenActiveFeed,
)
from providers.openactive import importer
from providers.openactive.harvest import HARVEST_LEASE, FeedBusy, feed_harvest
from tests.providers.openactive_fixtures.feeds import (
    session_series,
)
from tests.providers.openactive_fixtures.harvesting import (
    directory_state,
    harvest,
    start_at,
)

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
    elif scenario == "HTML page":
        server.raw("feed-3", "<!doctype html><html><body>Sign in</body></html>")
    elif scenario == "10 MB item":
        huge = session_series(9, 900, description="x" * (10 * 1024 * 1024))
        server.page("feed-3", [session_series(8, 800), huge], next_path="feed-4")
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
    "HTML page": "The page at {url} is not valid JSON",
    "10 MB item": "The page at {url} is not a proper OpenActive feed page: item 9 is larger than "
    "1 MB.",
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


def test_a_harvest_out_of_time_keeps_its_pages_and_says_so(imported, server, monkeypatch):
    before = directory_state()

    def soft_time_limit(self, items):
        raise SoftTimeLimitExceeded()  # what Celery raises in the task at its soft limit

    monkeypatch.setattr(importer.FeedImporter, "import_page", soft_time_limit)
    server.page("feed-3", [session_series(4, 103)], next_path="feed-4")

    run = harvest(imported)

    assert run.status == "failed"
    assert run.error.startswith("The harvest ran out of time.")
    assert run.finished_at is not None
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
    start_at(feed, server.chain("feed", [[session_series(1, 100)]]))
    # Another worker's harvest, started ten minutes ago and still going.
    FeedRun.objects.create(
        feed=feed, status="failed", started_at=timezone.now() - timedelta(minutes=10)
    )

    with pytest.raises(FeedBusy):
        harvest(feed)

    assert feed.runs.count() == 1
    assert server.requests == []


def test_a_harvest_whose_worker_died_does_not_hold_up_the_next(feed, server):
    start_at(feed, server.chain("feed", [[session_series(1, 100)]]))
    # Killed mid-harvest (it never finished) longer ago than any harvest may run.
    FeedRun.objects.create(
        feed=feed, status="failed", started_at=timezone.now() - HARVEST_LEASE - timedelta(minutes=1)
    )

    run = harvest(feed)

    assert run.status == "ok"
    assert Activity.objects.exists()


def test_no_session_level_lock_is_held_while_a_harvest_runs(feed, server):
    """Behind PgBouncer in transaction mode a session-level lock would stay on whichever
    server connection took it: the harvest takes none."""
    start_at(feed, server.chain("feed", [[session_series(1, 100)]]))

    harvest(feed)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        assert cursor.fetchone()[0] == 0
