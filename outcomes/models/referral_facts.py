"""Activity referrals as the lead dashboard reads them, kept by the database (ADR 021).

`ReferralFact` is a narrow copy of each sent activity referral: its local sending day, its
activity, the counted milestones as flags, the provider's reply time and the first session
on the provider's register. `ReferralMonthFact` counts them by (service, month, activity).
The referrals section adds the months wholly inside a period from the month facts and reads
the few days at its edges from the copy; the medians (not additive) read the copy, about a
third of a referral's size. Triggers on `referrals_referral` (migration 0015) rewrite the
copies of the referrals a statement touched and recount their months, in the same
transaction, whatever wrote them; the nightly reconcile puts any drift right. PostgreSQL
only: elsewhere (the SQLite demo) the selectors read the referrals themselves."""

from django.db import models
from django.db.models import Q

from providers.models import Activity
from referrals.models import Referral
from talkingmoves.accounts.models import Organisation

# The counts of one (service, month, activity), in the order migration 0015's SQL fills them.
MONTH_COUNTS = ("referred", "answered", "accepted", "started", "self_reported", "completed")


class ReferralFact(models.Model):
    """One sent activity referral (kind refer, sent_at set); signposting is not here (the
    funnel's day facts count it). The triggers own these rows: no foreign keys to check on
    each write, and nothing here for Django's deletion to follow."""

    referral = models.OneToOneField(
        Referral,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    service = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    sent_on = models.DateField()  # local day of sent_at
    answered = models.BooleanField()  # answered_at set (an automatic decline too)
    accepted = models.BooleanField()
    started = models.BooleanField()  # a session on the provider's register
    self_reported = models.BooleanField()  # the person's word only
    completed = models.BooleanField()
    # Days from sending to the provider's reply (fractional); None without a reply, and for
    # an automatic decline, which is not one.
    reply_days = models.FloatField(null=True)
    attended_on = models.DateField(null=True)  # provider_attended_on
    waited_days = models.IntegerField(null=True)  # attended_on - sent_on

    class Meta:
        indexes = [
            # The dashboards: a service's referrals sent in a period (edges, medians).
            models.Index(fields=["service", "sent_on"], name="referral_fact_service_sent"),
            # Recounting one (service, month, activity), and medians for a few providers.
            models.Index(
                fields=["service", "activity", "sent_on"], name="referral_fact_activity_sent"
            ),
            # The wait to first activity: first sessions on the register in a period.
            models.Index(
                fields=["service", "attended_on"],
                include=["waited_days"],
                condition=Q(attended_on__isnull=False),
                name="referral_fact_attended",
            ),
        ]

    def __str__(self):
        return f"Referral facts of {self.referral_id}"


def _count() -> models.BigIntegerField:
    return models.BigIntegerField(default=0)


class ReferralMonthFact(models.Model):
    """Sent activity referrals of one service and activity whose local sending day is in
    `month` (its first day), counted as the referral tables count them."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    activity = models.ForeignKey(
        Activity,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    referred = _count()
    answered = _count()
    accepted = _count()
    started = _count()
    self_reported = _count()
    completed = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "month", "activity"], name="referral_month_fact_one"
            )
        ]
        indexes = [
            # An Active Partnership's referrals by month: its activities' months, every
            # service's, read from the index alone (partnership/referral_months.py).
            models.Index(
                fields=["activity", "month"],
                include=["referred", "accepted", "started"],
                name="referral_month_fact_activity",
            )
        ]

    def __str__(self):
        return f"Referrals of {self.month:%B %Y}"
