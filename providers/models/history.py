"""What happened to listings: every edit, and the weekly reminders to check them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from talkingmoves.accounts.models import Organisation


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
