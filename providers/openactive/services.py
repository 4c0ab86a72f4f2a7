"""Registering and running feeds: pause, resume, remove. Harvesting is `harvest.feed_harvest`."""

from django.db import transaction
from django.utils import timezone

from providers.models import Activity, OpenActiveFeed
from providers.services import listing_archive
from talkingmoves.accounts.models import Organisation

from .harvest import FeedBusy, feed_harvest
from .rpde import FeedError

__all__ = [
    "FeedBusy",
    "FeedError",
    "feed_harvest",
    "feed_pause",
    "feed_register",
    "feed_remove",
    "feed_resume",
]


@transaction.atomic
def feed_register(*, partnership: Organisation, name: str, url: str) -> OpenActiveFeed:
    """Register a feed; one the partnership removed comes back, harvested from its start (its
    withdrawn listings return as the harvest finds them still in the feed)."""
    removed = (
        OpenActiveFeed.objects.select_for_update()
        .filter(partnership=partnership, url=url, removed_at__isnull=False)
        .first()
    )
    if removed is not None:
        removed.name, removed.removed_at, removed.is_active, removed.next_url = name, None, True, ""
        removed.stale_since = None
        removed.full_clean()
        removed.save()
        return removed
    feed = OpenActiveFeed(partnership=partnership, name=name, url=url)
    feed.full_clean()
    feed.save()
    return feed


def feed_pause(*, feed: OpenActiveFeed) -> None:
    """No more scheduled harvests until resumed; its listings stay as they are."""
    OpenActiveFeed.objects.filter(pk=feed.pk).update(is_active=False)
    feed.is_active = False


def feed_resume(*, feed: OpenActiveFeed) -> None:
    """Scheduled harvests again, carrying on from where the last one stopped."""
    OpenActiveFeed.objects.filter(pk=feed.pk, removed_at__isnull=True).update(is_active=True)
    feed.is_active = feed.removed_at is None


@transaction.atomic
def feed_remove(*, feed: OpenActiveFeed, by) -> int:
    """Stop harvesting the feed and withdraw its listings (archived, not deleted: kept for
    their history and past referrals). Returns how many listings were withdrawn."""
    locked = OpenActiveFeed.objects.select_for_update().get(pk=feed.pk)
    if locked.removed_at is not None:
        return 0
    withdrawn = 0
    for activity in Activity.objects.filter(feed=locked, archived_at__isnull=True):
        listing_archive(listing=activity, by=by, removed_by_feed=True)
        withdrawn += 1
    locked.removed_at, locked.is_active, locked.next_url = timezone.now(), False, ""
    locked.stale_since = None
    locked.save(update_fields=["removed_at", "is_active", "next_url", "stale_since"])
    feed.removed_at, feed.is_active, feed.next_url = locked.removed_at, False, ""
    return withdrawn
