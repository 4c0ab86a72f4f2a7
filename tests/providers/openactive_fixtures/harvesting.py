"""Running a harvest in the tests, and a snapshot of everything one could change."""

from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    ListingChange,
    OneOffSession,
    Provider,
    Venue,
    WeeklySlot,
)
from providers.openactive.harvest import feed_harvest

ACTOR = "OpenActive import: Riverside sessions"  # the history's name for the `feed` fixture


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
