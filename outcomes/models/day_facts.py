"""Referral and follow-up message counts by day, kept by the database (ADR 018).

The dashboards add these up for any period instead of reading every referral or message of
the period: about 740 referrals and 400 messages a day at the bench's size become one row a
day. Database triggers (migration 0010) rebuild the (service, day) rows a statement touched,
in the same transaction, whatever wrote the rows (services, admin, SQL repairs, COPY); a
nightly task rebuilds everything and reports any drift. PostgreSQL only: elsewhere (the
SQLite demo) the selectors read the rows themselves."""

from django.db import models

from talkingmoves.accounts.models import Organisation

# The referral counts of one day, in the order the SQL in migration 0010 fills them.
REFERRAL_COUNTS = (
    "referred",
    "answered",
    "accepted",
    "started",
    "self_reported",
    "completed",
    "signposted",
    "taken_up",
)
# Messages sent, and those answered through their link: in all and by answer.
NUDGE_COUNTS = ("sent", "answered", "went", "not_yet", "call_me", "stop", "cant_make_it")


def _count() -> models.BigIntegerField:
    return models.BigIntegerField(default=0)


class ReferralDayFact(models.Model):
    """Referrals of one service sent on `day` (signposting: recorded on `day`), local time,
    counted as the referral funnel counts them (outcomes.dashboards.db)."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    referred = _count()
    answered = _count()
    accepted = _count()
    started = _count()  # a session on the provider's register
    self_reported = _count()  # the person's word only
    completed = _count()
    signposted = _count()
    taken_up = _count()  # signposting marked taken up

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="referral_fact_one_per_day")
        ]

    def __str__(self):
        return f"Referrals of {self.day}"


class NudgeDayFact(models.Model):
    """Messages to service users of one service sent (or delivered) that were sent on `day`,
    local time, and how many of them got an answer through their link (each message once
    per answer, and once in `answered` whatever it got)."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent = _count()
    answered = _count()
    went = _count()
    not_yet = _count()
    call_me = _count()
    stop = _count()
    cant_make_it = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="nudge_fact_one_per_day")
        ]

    def __str__(self):
        return f"Messages of {self.day}"
