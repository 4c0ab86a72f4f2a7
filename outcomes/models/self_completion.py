"""Self-completion requests: signed, expiring links for a service user to answer measures."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from outcomes.models.episodes import Episode

MEASURE_REQUEST_LIFETIME = timedelta(days=14)
DEFAULT_REQUEST_KINDS = ["phq9", "gad7", "activity_days"]


def _default_request_kinds():
    return list(DEFAULT_REQUEST_KINDS)


def _request_expiry():
    return timezone.now() + MEASURE_REQUEST_LIFETIME


class MeasureRequest(models.Model):
    """A signed, expiring, single-use link for a service user to complete measures."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="measure_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_request_expiry)
    completed_at = models.DateTimeField(null=True, blank=True)
    kinds = models.JSONField(default=_default_request_kinds)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="measurerequest_expires_later"
            )
        ]

    def __str__(self):
        return f"Questionnaire link sent {self.created_at:%Y-%m-%d}"

    @property
    def owning_organisation_id(self):
        return self.episode.service_id
