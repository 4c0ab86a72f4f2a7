"""Waits by the day they ended and their length (ADR 023): how many waits of each length in
days ended on each day, for the three waits the lead's summary shows. A period's waits are
the sum of its days' rows, so the counts within 6 and 18 weeks and the median (from the
counts of each length, `referral_facts.median_of_counts`) read a row per (day, length)
instead of every episode or referral of the period.

Kept by the database (migration 0016): statement-level triggers on the episodes and on the
referral copies (ADR 021) add each change's waits and take away the ones it replaced, in
the same transaction, whatever wrote them. The nightly reconcile rebuilds a service whose
rows differ from a count of their sources. A row may be left at 0 when its last wait goes;
readers add up, so it counts for nothing. PostgreSQL only: elsewhere (the SQLite demo) the
waits are read from the episodes and referrals themselves."""

from django.db import models

from talkingmoves.accounts.models import Organisation


class WaitDayFact(models.Model):
    class Kind(models.TextChoices):
        # Talking Therapies referral received to first attended treatment appointment; `day`
        # is the first treatment's (Episode.first_treatment_on).
        TREATMENT = "treatment", "Referral to first treatment"
        # Activity referral sent to its first session on the provider's register; `day` is
        # that session's (ReferralFact.attended_on).
        FIRST_SESSION = "first_session", "Referral sent to first session"
        # The same waits by the day the referral was sent (ReferralFact.sent_on).
        SENT = "sent", "First session, by the day sent"

    service = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    day = models.DateField()
    days = models.IntegerField()  # the wait's length
    n = models.BigIntegerField()  # how many waits of that length ended that day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "kind", "day", "days"],
                include=["n"],
                name="wait_fact_one_per_length",
            )
        ]

    def __str__(self):
        return f"Waits of {self.days} days ending {self.day:%Y-%m-%d}"
