"""OpenActive feeds a partnership harvests, and each harvest run."""

import uuid

from django.db import models
from django.utils import timezone

from talkingmoves.accounts.models import Organisation


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
    # When a harvest last read the feed to its end: its listings are as current as this.
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Set when the feed has stopped answering for long enough that its listings may be out
    # of date (and the partnership has been told); cleared when it answers again.
    stale_since = models.DateTimeField(null=True, blank=True)
    # Removed by the partnership: no longer harvested or shown, its listings withdrawn.
    removed_at = models.DateTimeField(null=True, blank=True)

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
