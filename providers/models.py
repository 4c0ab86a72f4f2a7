"""The directory: who offers physical activity, where, when, and for whom."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode, Format, Intensity, SuitableFor
from talkingmoves.vocabulary.times import Weekday


class Outcode(models.Model):
    """A postcode district's centroid, for distance without an online lookup."""

    outcode = models.CharField(max_length=4, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    town = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.outcode


class ActivityType(models.Model):
    """A concept from the OpenActive Activity List (loaded by a data migration)."""

    identifier = models.CharField(max_length=36, primary_key=True)  # the list's UUID
    label = models.CharField(max_length=100, db_index=True)
    notation = models.CharField(max_length=100, blank=True)
    alt_labels = models.JSONField(default=list, blank=True)
    definition = models.TextField(blank=True)
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label

    @property
    def uri(self) -> str:
        return f"https://openactive.io/activity-list#{self.identifier}"


class Source(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    CSV = "csv", "Spreadsheet import"
    OPENACTIVE = "openactive", "OpenActive feed"


def stale_cutoff(now=None):
    """Listings last checked before this (or never) need checking."""
    return (now or timezone.now()) - settings.LISTING_STALE_AFTER


def needs_checking_q(now=None) -> Q:
    return Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=stale_cutoff(now))


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
        if self.last_verified_at is None:
            return True
        return self.last_verified_at < stale_cutoff(now)


class Provider(Listing):
    """An organisation that runs activities: a leisure centre, club, charity, council scheme,
    or a Talking Therapies service's own in-house offer."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # The Active Partnership whose area the provider is in (staff there keep it current).
    partnership = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_providers",
        limit_choices_to={"kind": Organisation.Kind.ACTIVE_PARTNERSHIP},
    )
    # The organisation whose staff manage the listing and answer referrals in TalkingMoves:
    # a provider organisation, or a Talking Therapies service for its in-house offers.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider_listings",
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # Specialist or supervised activity (cardiac rehab, exercise on referral): the screening
    # outcome "specialist or supervised activity only" may still refer here.
    is_specialist = models.BooleanField(default=False)
    feed = models.ForeignKey(
        "OpenActiveFeed", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False) | Q(organisation__isnull=False),
                name="provider_has_partnership_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["feed", "external_id"],
                condition=Q(feed__isnull=False),
                name="provider_unique_feed_item",
            ),
        ]
        indexes = [
            # Partnership listing page: live providers of one partnership.
            models.Index(
                fields=["partnership", "name"],
                condition=Q(archived_at__isnull=True),
                name="provider_live_by_partnership",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_in_house(self) -> bool:
        return (
            self.organisation is not None
            and self.organisation.kind == Organisation.Kind.TALKING_THERAPIES
        )


class Venue(Listing):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)  # normalised, e.g. "SW1A 1AA"
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # True when the coordinates are the postcode district's centre, not the venue's own.
    location_is_approximate = models.BooleanField(default=False)
    access_notes = models.TextField(blank=True)
    feed = models.ForeignKey(
        "OpenActiveFeed", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_valid",
            ),
            models.UniqueConstraint(
                fields=["feed", "external_id"],
                condition=Q(feed__isnull=False),
                name="venue_unique_feed_item",
            ),
        ]
        indexes = [
            # Distance search: bounding-box prefilter before the exact distance.
            models.Index(fields=["latitude", "longitude"], name="venue_lat_lon"),
        ]

    def __str__(self):
        return self.name

    @property
    def owning_organisation_id(self):
        return self.provider.partnership_id

    @property
    def address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(part for part in parts if part)


class VenueAccessibility(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="accessibility")
    feature = models.CharField(max_length=32, choices=Accessibility.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["venue", "feature"], name="venue_feature_unique")
        ]
        indexes = [models.Index(fields=["feature", "venue"], name="venue_feature_lookup")]

    def __str__(self):
        return self.get_feature_display()


class Activity(Listing):
    # Reached through the model too (activity.DeliveryMode.ONLINE), as Django choices often are.
    DeliveryMode = DeliveryMode
    Intensity = Intensity
    Format = Format

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="activities")
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    name = models.CharField(max_length=200)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(blank=True)
    delivery_mode = models.CharField(
        max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    online_url = models.URLField(blank=True)
    is_free = models.BooleanField(default=False)
    price_full = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    price_concession = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    intensity = models.CharField(
        max_length=16, choices=Intensity.choices, default=Intensity.MODERATE
    )
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.GROUP)
    group_size = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    booking_required = models.BooleanField(default=False)
    takes_referrals = models.BooleanField(default=False)
    referral_email = models.EmailField(blank=True)
    referral_phone = models.CharField(max_length=30, blank=True)
    feed = models.ForeignKey(
        "OpenActiveFeed", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=(Q(price_full__isnull=True) | Q(price_full__gte=0))
                & (Q(price_concession__isnull=True) | Q(price_concession__gte=0)),
                name="activity_price_not_negative",
                violation_error_message="Price cannot be less than £0",
            ),
            models.CheckConstraint(
                condition=Q(is_free=False) | (Q(price_full__isnull=True) | Q(price_full=0)),
                name="activity_free_has_no_price",
                violation_error_message="A free activity cannot have a full price",
            ),
            models.CheckConstraint(
                condition=Q(takes_referrals=False) | ~Q(referral_email="") | ~Q(referral_phone=""),
                name="activity_referrals_have_a_route",
                violation_error_message=(
                    "An activity that takes referrals needs a referral email address "
                    "or phone number"
                ),
            ),
            models.CheckConstraint(
                condition=Q(delivery_mode=DeliveryMode.ONLINE) | Q(venue__isnull=False),
                name="activity_in_person_has_venue",
                violation_error_message="An activity delivered in person needs a venue",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="activity_capacity_positive",
                violation_error_message="Places per session must be 1 or more",
            ),
            models.CheckConstraint(
                condition=Q(group_size__isnull=True) | Q(group_size__gte=1),
                name="activity_group_size_positive",
                violation_error_message="Largest group size must be 1 or more",
            ),
            models.UniqueConstraint(
                fields=["feed", "external_id"],
                condition=Q(feed__isnull=False),
                name="activity_unique_feed_item",
            ),
        ]
        indexes = [
            # Clinician search: live activities by type.
            models.Index(
                fields=["activity_type", "venue"],
                condition=Q(archived_at__isnull=True),
                name="activity_live_by_type",
            ),
            # "Needs checking" first in a partnership's list.
            models.Index(fields=["last_verified_at"], name="activity_last_verified"),
        ]

    def __str__(self):
        return self.name

    @property
    def owning_organisation_id(self):
        return self.provider.partnership_id


class ActivitySuitability(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="suitability")
    tag = models.CharField(max_length=32, choices=SuitableFor.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "tag"], name="activity_tag_unique")
        ]
        indexes = [models.Index(fields=["tag", "activity"], name="activity_tag_lookup")]

    def __str__(self):
        return self.get_tag_display()


class ActivityAccessibility(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="accessibility")
    feature = models.CharField(max_length=32, choices=Accessibility.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "feature"], name="activity_feature_unique")
        ]
        indexes = [models.Index(fields=["feature", "activity"], name="activity_feature_lookup")]

    def __str__(self):
        return self.get_feature_display()


class WeeklySlot(models.Model):
    """A recurring weekly session time."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="weekly_slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="slot_end_after_start",
                violation_error_message="A session must end after it starts",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="slot_weekday_valid"
            ),
        ]
        indexes = [models.Index(fields=["weekday", "start_time"], name="slot_day_time")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}"


class OneOffSession(models.Model):
    """A dated session (a course date, a one-off taster, a ScheduledSession from a feed)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="one_off_sessions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    external_id = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_end_after_start",
                violation_error_message="A session must end after it starts",
            ),
        ]
        indexes = [models.Index(fields=["activity", "starts_at"], name="session_next_for_activity")]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class ListingChange(models.Model):
    """Append-only history of directory edits: who changed which listing, when, and what."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Changed"
        VERIFIED = "verified", "Marked as checked"
        ARCHIVED = "archived", "Archived"
        RESTORED = "restored", "Restored"
        IMPORTED = "imported", "Imported"
        REMOVED_BY_FEED = "removed_by_feed", "Removed by feed"

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    system_actor = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16)  # provider / venue / activity
    listing_public_id = models.UUIDField()
    listing_name = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    # {"field label": ["old", "new"]}
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | ~Q(system_actor=""),
                name="listingchange_has_actor",
            )
        ]
        indexes = [
            # History panel on a listing's page.
            models.Index(fields=["listing_public_id", "-at"], name="listingchange_by_listing"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.kind} {self.listing_name}"


class OpenActiveFeed(models.Model):
    """An RPDE feed a partnership harvests into its listings."""

    class Status(models.TextChoices):
        NEVER_RUN = "never_run", "Not run yet"
        OK = "ok", "Worked"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="openactive_feeds"
    )
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=1000)
    # Where the next harvest resumes: the last page's `next` URL.
    next_url = models.URLField(max_length=2000, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEVER_RUN)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "url"], name="feed_url_unique_per_partnership"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def owning_organisation_id(self):
        return self.partnership_id


class FeedRun(models.Model):
    feed = models.ForeignKey(OpenActiveFeed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=OpenActiveFeed.Status.choices)
    pages = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # [{"id": ..., "kind": ..., "problem": ...}] for the first few hundred rejected items.
    rejections = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}"


class PartnershipDigest(models.Model):
    """One weekly 'listings that need checking' email per partnership: the row is claimed
    before sending, so a repeated beat run cannot send the same week twice."""

    partnership = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    stale_count = models.PositiveIntegerField(default=0)
    failed_feed_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "week_starting"], name="one_digest_per_partnership_week"
            )
        ]

    def __str__(self):
        return f"{self.partnership} week of {self.week_starting}"
