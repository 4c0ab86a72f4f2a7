from django.conf import settings
from django.db import models
from django.utils import timezone

from talkingmoves.audit.actions import AccessAction


class AccessLog(models.Model):
    """Who looked at or changed which record, and when. Append-only: never edited or deleted
    through the application (the admin is read-only)."""

    Action = AccessAction

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
    )
    # A named system job ("nudge dispatcher") when no person acted.
    system_actor = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor__isnull=False) | ~models.Q(system_actor=""),
                name="accesslog_has_actor",
            )
        ]
        indexes = [
            # "Who has looked at this record?" (record page, information governance requests)
            models.Index(fields=["object_type", "object_id", "-at"], name="accesslog_object_idx"),
        ]

    def __str__(self):
        who = self.actor or self.system_actor
        return (
            f"{who} {self.action} {self.object_type}:{self.object_id} at {self.at:%Y-%m-%d %H:%M}"
        )
