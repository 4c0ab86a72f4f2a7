"""Provider responsiveness kept in the database (issue 14): the figures clinicians see beside
listings, stored per provider when a referral is sent or answered, and rebuilt nightly as the
12-month window moves (referrals/pathway/responsiveness.py)."""

from django.db import models
from django.utils import timezone

from providers.models import Provider


class ProviderResponsiveness(models.Model):
    provider = models.OneToOneField(
        Provider, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    sent = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()  # by the provider, or declined for them
    accepted = models.PositiveIntegerField()
    median_days = models.FloatField(null=True, blank=True)  # sent to the provider's own reply
    # The 12 months counted end here; the nightly reconcile moves them on.
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "provider responsiveness"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered__lte=models.F("sent"))
                & models.Q(accepted__lte=models.F("answered")),
                name="responsiveness_counts_nest",
            )
        ]

    def __str__(self):
        return f"Responsiveness of provider {self.provider_id}"
