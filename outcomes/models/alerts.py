"""Risk alerts: one row per person told about a risk flag, so that every flag is seen by a
named person. Each is an in-app task (acknowledged by a click) and an email through the
outbox; the row records whether the email got through, and is kept for ever."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from outcomes.models.risk import RiskFlag
from referrals.nudges.models import Nudge
from talkingmoves.accounts.models import Organisation


class RiskAlert(models.Model):
    class Reason(models.TextChoices):
        ASSIGNED_CLINICIAN = "assigned_clinician", "Assigned clinician"
        DUTY_CONTACT = "duty_contact", "Duty contact"
        # No assigned clinician or no duty contact who could be alerted: the leads instead.
        STANDING_IN = "standing_in", "Service lead, standing in"
        ESCALATED = "escalated", "Service lead, not acknowledged in time"
        REROUTED = "rerouted", "An earlier alert was not delivered"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    flag = models.ForeignKey(RiskFlag, on_delete=models.PROTECT, related_name="alerts")
    # Denormalised from the flag's service user: the lead's pages ask by service.
    service = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_alerts",
    )
    # A duty inbox rather than an account: whoever reads it signs in as themselves.
    recipient_email = models.EmailField(blank=True)
    # The email in the outbox. Its status says whether the alert was delivered.
    nudge = models.OneToOneField(
        Nudge, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_alert"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when its email failed or was skipped and the alert was sent on to someone else.
    undelivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A user's open tasks (the home page).
            models.Index(
                fields=["recipient_user"],
                condition=Q(acknowledged_at__isnull=True),
                name="riskalert_open_by_user",
            ),
            # The lead's "alert not delivered" list.
            models.Index(
                fields=["service", "-undelivered_at"],
                condition=Q(undelivered_at__isnull=False),
                name="riskalert_undelivered",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False) | ~Q(recipient_email=""),
                name="riskalert_has_recipient",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="riskalert_acknowledged_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=[
                        "assigned_clinician",
                        "duty_contact",
                        "standing_in",
                        "escalated",
                        "rerouted",
                    ]
                ),
                name="riskalert_reason_valid",
            ),
        ]

    def __str__(self):
        return f"Risk alert to {self.recipient} ({self.get_reason_display()})"

    @property
    def recipient(self) -> str:
        return str(self.recipient_user) if self.recipient_user_id else self.recipient_email

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    @property
    def owning_organisation_id(self):
        return self.service_id
