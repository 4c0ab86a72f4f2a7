"""Episode outcome facts by day: additive counts and sums that the dashboards add up for any
period instead of reading every episode (ADR 013). One row per service, day, activity
group and step; services.facts keeps them current in the same transaction as the episode
change and a nightly task rebuilds them and reports any drift."""

from django.db import models

from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.care import Step
from talkingmoves.vocabulary.uptake import ActivityGroup

OUTCOME_FLAGS = ("recovered", "reliably_recovered", "reliably_improved", "reliably_deteriorated")
MEASURES = ("phq9", "gad7")
# Every counted column, in one order: the SQL that fills them and the selectors share it.
COUNT_FIELDS = (
    "received",
    "ended",
    "finished",
    "fewer_sessions",
    "no_pair",
    "not_case",
    *(f"{flag}_{part}" for flag in OUTCOME_FLAGS for part in ("n", "d")),
    *(f"{measure}_{part}" for measure in MEASURES for part in ("count", "sum", "squares")),
    "ended_paired",
    "finished_paired",
)


def _count(**kwargs) -> models.BigIntegerField:
    return models.BigIntegerField(default=0, **kwargs)


class EpisodeDayFact(models.Model):
    """Episodes of one service whose referral was received (`received`) or that ended (every
    other column) on `day`, in one activity group and step."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    activity_group = models.CharField(max_length=16, choices=ActivityGroup.choices)
    step = models.PositiveSmallIntegerField(choices=Step.choices, null=True, blank=True)

    received = _count()
    ended = _count()
    finished = _count()
    # Why an ended episode is not in the recovery denominator (first reason that applies).
    fewer_sessions = _count()
    no_pair = _count()
    not_case = _count()
    recovered_n = _count()
    recovered_d = _count()
    reliably_recovered_n = _count()
    reliably_recovered_d = _count()
    reliably_improved_n = _count()
    reliably_improved_d = _count()
    reliably_deteriorated_n = _count()
    reliably_deteriorated_d = _count()
    # Sum and sum of squares give means with t intervals for any period.
    phq9_count = _count()
    phq9_sum = _count()
    phq9_squares = _count()
    gad7_count = _count()
    gad7_sum = _count()
    gad7_squares = _count()
    # With a first and a last PHQ-9 and GAD-7: paired-score completeness (ADR 023). A database
    # default, so the release before them can still insert rows while this one rolls out.
    ended_paired = _count(db_default=0)
    finished_paired = _count(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "day", "activity_group", "step"],
                nulls_distinct=False,
                name="episode_fact_one_per_bucket",
            ),
        ]

    def __str__(self):
        return f"Episode facts for {self.day:%Y-%m-%d}"


class AppointmentDayFact(models.Model):
    """Appointments of one service dated `day`: not attended (`missed`), and attended or not
    attended (`due`; a cancelled appointment is neither). The did-not-attend rate of any
    period is the sum of its days (ADR 020); services.appointment_facts keeps them."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    missed = _count()
    due = _count()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="appointment_fact_one_per_day"),
        ]

    def __str__(self):
        return f"Appointment facts for {self.day:%Y-%m-%d}"
