"""Registering feeds. Harvesting is `harvest.feed_harvest`."""

from django.db import transaction

from providers.models import OpenActiveFeed
from talkingmoves.accounts.models import Organisation

from .harvest import FeedBusy, feed_harvest
from .rpde import FeedError

__all__ = ["FeedBusy", "FeedError", "feed_harvest", "feed_register"]


@transaction.atomic
def feed_register(*, partnership: Organisation, name: str, url: str) -> OpenActiveFeed:
    feed = OpenActiveFeed(partnership=partnership, name=name, url=url)
    feed.full_clean()
    feed.save()
    return feed
