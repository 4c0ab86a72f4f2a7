"""What providers, venues and activities share: where a listing came from, and when it needs
checking again."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Source(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    CSV = "csv", "Spreadsheet import"
    OPENACTIVE = "openactive", "OpenActive feed"


def stale_cutoff(now=None):
    """Listings last checked before this (or never) need checking."""
    return (now or timezone.now()) - settings.LISTING_STALE_AFTER


def needs_checking_q(now=None) -> Q:
    """By hand: not checked within LISTING_STALE_AFTER. From a feed: only once the feed has
    stopped answering (its publisher keeps the listing current while it answers)."""
    by_hand = Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=stale_cutoff(now))
    return (Q(feed__isnull=True) & by_hand) | Q(feed__stale_since__isnull=False)


class ListingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(archived_at__isnull=True)

    def needs_checking(self, *, now=None):
        return self.filter(needs_checking_q(now))


class Listing(models.Model):
    """What providers, venues and activities share: public id, provenance, verification."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    # For imported listings: the item id in the feed or spreadsheet, and its modified marker.
    external_id = models.CharField(max_length=500, blank=True)
    source_modified = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def needs_checking(self, *, now=None) -> bool:
        if self.feed_id is not None:
            return self.feed.stale_since is not None
        if self.last_verified_at is None:
            return True
        return self.last_verified_at < stale_cutoff(now)
