"""Activities: what happens, for whom, how it is delivered, and when its sessions are."""

from django.db import models
from django.db.models import Q

from providers.models.listings import Listing
from providers.models.organisations import Provider
from providers.models.reference import ActivityType
from providers.models.venues import Venue
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode, Format, Intensity, SuitableFor
from talkingmoves.vocabulary.times import Weekday


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
    # A feed's own activity label when it matched none on the Activity List (type "Other").
    feed_activity_label = models.CharField(
        "activity as the feed names it", max_length=200, blank=True
    )
    # The feed item's @id, which its ScheduledSessions and Slots point at.
    feed_item_uri = models.CharField("feed item address", max_length=500, blank=True, db_index=True)
    # When this activity's OpenActive record last changed: the latest of its own, its venue's
    # and its provider's updated_at, since the record embeds all three. Kept by PostgreSQL
    # triggers (migration 0007), never written from Python, so the RPDE feed reads its pages
    # in this order from an index instead of sorting every activity per request.
    feed_modified_at = models.DateTimeField(null=True, blank=True, editable=False)

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
            # ORUK /services pages (providers/open_data/selectors.py service_index and
            # service_page): live activities in (name, id) order, with what the published
            # filter joins on, so a page is read from the index without a sort.
            models.Index(
                fields=["name", "id"],
                include=["provider", "venue"],
                condition=Q(archived_at__isnull=True),
                name="activity_oruk_by_name",
            ),
            # The OpenActive RPDE feed's pages (open_data/feed_rows.py feed_page).
            models.Index(
                fields=["feed_modified_at", "public_id"], name="activity_feed_by_modified"
            ),
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
        # Read in listing history: "Suitable for: 'Beginners' to 'Beginners, Over 50s'".
        verbose_name = verbose_name_plural = "suitable for"
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
        verbose_name = verbose_name_plural = "access support"
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
