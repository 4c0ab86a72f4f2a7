"""The directory: who offers physical activity, where, when, and for whom.

A package by responsibility; every model is imported here, as Django's app loading and the
rest of the code (`from providers.models import Activity`) expect.
"""

from providers.models.activities import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    WeeklySlot,
)
from providers.models.feeds import FeedRun, OpenActiveFeed
from providers.models.history import ListingChange, PartnershipDigest
from providers.models.kept_feed_items import KeptFeedItem
from providers.models.listings import (
    Listing,
    ListingQuerySet,
    Source,
    needs_checking_q,
    stale_cutoff,
)
from providers.models.organisations import Provider
from providers.models.reference import ActivityType, Outcode
from providers.models.venues import Venue, VenueAccessibility

__all__ = [
    "Activity",
    "ActivityAccessibility",
    "ActivitySuitability",
    "ActivityType",
    "FeedRun",
    "KeptFeedItem",
    "Listing",
    "ListingChange",
    "ListingQuerySet",
    "OneOffSession",
    "OpenActiveFeed",
    "Outcode",
    "PartnershipDigest",
    "Provider",
    "Source",
    "Venue",
    "VenueAccessibility",
    "WeeklySlot",
    "needs_checking_q",
    "stale_cutoff",
]
