"""The OpenActive feed in the tests: where it is, the host its ids are made on, and how a
consumer reads it."""

from datetime import UTC, datetime

from django.urls import reverse

from tests.providers.factories import ActivityFactory

FEED = reverse("open_data:openactive_session_series")
# OpenActive identifiers must be absolute URLs on a real domain, not "testserver".
HOST = "talkingmoves.example.org"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def scheduled(**fields):
    """A plain activity with a weekly time (an activity with no times is not in the feed)."""
    activity = ActivityFactory(**fields)
    activity.weekly_slots.create(weekday=0, start_time="18:00", end_time="19:00")
    return activity


def follow(get, url=FEED, limit=50):
    """Harvest the feed as a consumer does: follow `next` until a page has no items."""
    pages = []
    for _ in range(limit):
        page = get(url).json()
        pages.append(page)
        if not page["items"]:
            return pages
        url = page["next"]
    raise AssertionError("the feed never ended")


def harvested(pages) -> list[tuple[str, str]]:
    return [(item["id"], item["state"]) for page in pages for item in page["items"]]
