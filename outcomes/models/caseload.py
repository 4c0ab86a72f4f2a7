"""Who was on the caseload when, and each ended episode with its person's groups (ADR 022):
what the equity tables and "recovery by demographic group" count, stored so a period's
figures read one narrow row per person (or per ended episode) instead of joining a year's
referrals and episodes to every person of the service.

The database keeps both: triggers on referrals, episodes and service users (migration
`outcomes/0014`) rebuild a person's rows in the same transaction as the change, whoever
makes it; the nightly reconcile puts right whatever bypassed them. PostgreSQL only: the
SQLite demo leaves them empty and the dashboards read the rows."""

from django.db import models

from outcomes.models.episodes import Episode
from referrals.models import ServiceUser
from talkingmoves.accounts.models import Organisation


class DateMultirangeField(models.Field):
    """PostgreSQL's `datemultirange`: a set of days (ranges, open-ended allowed). Written
    only by the database's own functions; the dashboards test it against a period with
    `&&` (outcomes/dashboards/db.py: `Overlaps`)."""

    description = "A set of days"

    def db_type(self, connection):
        return "datemultirange" if connection.vendor == "postgresql" else "text"


class PersonCaseloadFact(models.Model):
    """One service user of `service` with a referral or an episode in it: the days they had
    a referral sent or signposting recorded (`referred`; `took_up` those with a session on
    the provider's register, `said_so` those attended in the person's word only), the days
    an episode of theirs was open (`episodes`, open-ended while it is), and the groups the
    equity tables count them by, copied from the person."""

    service_user = models.OneToOneField(
        ServiceUser, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date_of_birth = models.DateField(null=True)
    gender = models.CharField(max_length=2, blank=True)
    ethnic_category = models.CharField(max_length=2, blank=True)
    has_disability_or_ltc = models.BooleanField(null=True)
    step = models.PositiveSmallIntegerField(null=True)
    referred = DateMultirangeField()
    took_up = DateMultirangeField()
    said_so = DateMultirangeField()
    episodes = DateMultirangeField()
    # Each set's first and last day (None: empty; `episodes_last` None with a first day:
    # still open), so most people are decided by date comparisons and only a period that
    # lies strictly inside a set's span tests the set itself (equity.days_in).
    referred_first = models.DateField(null=True)
    referred_last = models.DateField(null=True)
    took_up_first = models.DateField(null=True)
    took_up_last = models.DateField(null=True)
    said_so_first = models.DateField(null=True)
    said_so_last = models.DateField(null=True)
    episodes_first = models.DateField(null=True)
    episodes_last = models.DateField(null=True)

    def __str__(self):
        return "Caseload days of one person"


class EndedEpisodeFact(models.Model):
    """One ended episode, with what "recovery by demographic group" counts: the episode's
    service, ending date, step and `recovered`, and its person's date of birth (the age band
    depends on the period's end), gender, ethnic category and disability."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    service = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ended_on = models.DateField()
    step = models.PositiveSmallIntegerField(null=True)
    recovered = models.BooleanField(null=True)
    date_of_birth = models.DateField(null=True)
    gender = models.CharField(max_length=2, blank=True)
    ethnic_category = models.CharField(max_length=2, blank=True)
    has_disability_or_ltc = models.BooleanField(null=True)

    class Meta:
        indexes = [
            # Dashboards: recovery by demographic group for a period, from the index alone.
            models.Index(
                fields=["service", "ended_on"],
                include=[
                    "step",
                    "recovered",
                    "date_of_birth",
                    "gender",
                    "ethnic_category",
                    "has_disability_or_ltc",
                ],
                name="ended_episode_fact_by_period",
            ),
        ]

    def __str__(self):
        return f"Episode ended {self.ended_on:%Y-%m-%d}"
