"""A shortlist kept on the service user's record: activities the clinician and the person
picked together, each with a note, that can be printed in clinic or sent as a link."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ShortlistItem(models.Model):
    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="shortlist"
    )
    # Activities are archived, never deleted, so the list keeps what was chosen.
    activity = models.ForeignKey("providers.Activity", on_delete=models.PROTECT, related_name="+")
    # Shown to the service user on the page the link opens: no clinical detail.
    note = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user", "activity"], name="shortlist_item_once_per_person"
            )
        ]

    def __str__(self):
        return f"Shortlist item {self.pk}"
