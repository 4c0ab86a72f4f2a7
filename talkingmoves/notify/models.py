import uuid

from django.db import models
from django.utils import timezone

from talkingmoves.vocabulary.contact import MessageChannel


class StoredMessage(models.Model):
    """A message the local gateway would have sent through GOV.UK Notify.

    Used when NOTIFY_API_KEY is unset (development, demo, tests): nothing leaves the
    machine, and what would have been sent can be read in the admin and asserted in tests.
    """

    Channel = MessageChannel

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=320)
    template = models.CharField(max_length=100)
    personalisation = models.JSONField(default=dict)
    # The caller's idempotency key (for nudges, the nudge id), as sent to Notify.
    reference = models.CharField(max_length=100, db_index=True)
    # What Notify would say happened to it; tests set a failure status ("permanent-failure").
    status = models.CharField(max_length=30, default="delivered")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.recipient} ({self.template})"
