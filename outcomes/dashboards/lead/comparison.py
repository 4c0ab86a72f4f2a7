"""Outcomes by uptake of physical activity: episodes that ended in the period, by the activity
group stored on each (outcomes/uptake.py), with every episode left out of a rate counted by
the reason it is left out, and the difference the dashboard leads with.

The comparison is between people who took up activity (sessions on the provider's register)
and everyone who did not: those referred who did not take it up and those not referred,
pooled. People whose only evidence is their own word are shown as a group of their own and
are in neither side, so that an unconfirmed report cannot blur the comparison.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Aggregate, Count, F, Q, Sum

from outcomes.dashboards.periods import Period
from outcomes.models import Episode, EpisodeDayFact
from outcomes.models.facts import COUNT_FIELDS
from outcomes.stats import Difference, Mean, Rate
from talkingmoves.vocabulary.uptake import ActivityGroup

G = ActivityGroup
ACTIVITY = G.TOOK_UP
COMPARISON = (G.NOT_TAKEN_UP, G.NOT_REFERRED)
COMPARISON_LABEL = "Did not take up activity (referred and not referred)"
OUTCOME_FLAGS = {
    "recovered": "Recovery",
    "reliably_recovered": "Reliable recovery",
    "reliably_improved": "Reliable improvement",
    "reliably_deteriorated": "Reliable deterioration",
}
# Why an episode that ended is not in the recovery denominator, in the order they are tested
# (each episode is counted once, under the first that applies), as rules.assess decides.
LEFT_OUT = {
    "fewer_sessions": "Fewer than 2 treatment sessions",
    "no_pair": "No paired PHQ-9 and GAD-7 scores",
    "not_case": "Not a clinical case at the start",
}
CAVEAT = (
    "This is an observational comparison, not a trial. People who take up activity may "
    "differ from those who do not (in how severe their symptoms were, their motivation, "
    "their circumstances), so a difference here is not proof that activity caused it."
)


@dataclass(frozen=True)
class OutcomeGroup:
    key: str
    label: str
    ended: int
    finished: int
    rates: dict[str, Rate]  # keyed by OUTCOME_FLAGS
    phq9_change: Mean
    gad7_change: Mean
    left_out: dict[str, int] = field(default_factory=dict)  # keyed by LEFT_OUT
    still_in_treatment: int = 0  # open at the end of the period: not counted yet

    @property
    def in_recovery_denominator(self) -> int:
        return self.rates["recovered"].denominator


@dataclass(frozen=True)
class OutcomeComparison:
    groups: list[OutcomeGroup]  # one per ActivityGroup, in its order
    activity: OutcomeGroup
    comparison: OutcomeGroup  # not taken up and not referred, pooled

    def difference(self, flag: str) -> Difference:
        """Activity group less comparison group."""
        return Difference(self.activity.rates[flag], self.comparison.rates[flag])

    @property
    def ended(self) -> int:
        return sum(group.ended for group in self.groups)

    def __iter__(self):
        return iter(self.groups)


def _aggregates(ended: Q) -> dict[str, Aggregate]:
    finished = ended & Q(finished_treatment=True)
    aggregates: dict[str, Aggregate] = {
        "ended": Count("pk", filter=ended),
        "finished": Count("pk", filter=finished),
        "still_in_treatment": Count("pk", filter=~ended),
        "fewer_sessions": Count("pk", filter=ended & Q(finished_treatment=False)),
        # Ended episodes get every flag from rules.assess: without a pair, caseness is None.
        "no_pair": Count("pk", filter=finished & Q(caseness_at_start__isnull=True)),
        "not_case": Count("pk", filter=finished & Q(caseness_at_start=False)),
    }
    for flag in OUTCOME_FLAGS:
        aggregates[f"{flag}_n"] = Count("pk", filter=ended & Q(**{flag: True}))
        aggregates[f"{flag}_d"] = Count("pk", filter=ended & Q(**{f"{flag}__isnull": False}))
    for measure in ("phq9", "gad7"):
        change = f"{measure}_change"
        has_change = finished & Q(**{f"{change}__isnull": False})
        aggregates[f"{measure}_count"] = Count("pk", filter=has_change)
        aggregates[f"{measure}_sum"] = Sum(change, filter=has_change)
        # The sum of squares gives the standard deviation portably, and pools across groups.
        aggregates[f"{measure}_squares"] = Sum(F(change) * F(change), filter=has_change)
    return aggregates


def outcome_comparison(service_id, period: Period) -> OutcomeComparison:
    """The comparison from the episode facts (ADR 013): the day rows of the period added up,
    and everything received minus everything ended up to its last day for those still in
    treatment. A few thousand rows whatever the period; equal to outcome_comparison_raw."""
    # Prefixed, so that the annotations do not hide the columns they add up.
    summed = {
        f"in_period_{name}": Sum(name, filter=Q(day__gte=period.start))
        for name in COUNT_FIELDS
        if name != "received"
    }
    rows = (
        EpisodeDayFact.objects.filter(service_id=service_id, day__lte=period.end)
        .values("activity_group")
        .annotate(**summed, still_in_treatment=Sum("received") - Sum("ended"))
        .order_by()
    )
    # SUM of bigint is numeric in PostgreSQL: whole numbers, as the raw counts are.
    by_group = {
        row.pop("activity_group"): {
            name.removeprefix("in_period_"): int(value or 0) for name, value in row.items()
        }
        for row in rows
    }
    return _comparison(by_group)


def outcome_comparison_raw(service_id, period: Period) -> OutcomeComparison:
    """Episodes that ended in the period, by activity group, in one grouped query. Each rate
    uses the national denominator (rows where rules.assess left the flag None are not in
    it); episodes still open at the period's end are counted beside them, not in them."""
    ended = Q(ended_on__gte=period.start, ended_on__lte=period.end)
    open_at_end = Q(referral_received_on__lte=period.end) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=period.end)
    )
    rows = (
        Episode.objects.filter(service_id=service_id)
        .filter(ended | open_at_end)
        .values("activity_group")
        .annotate(**_aggregates(ended))
        .order_by()
    )
    return _comparison({row["activity_group"]: row for row in rows})


def _comparison(by_group: dict) -> OutcomeComparison:
    groups = [_group(member.value, member.label, [by_group.get(member.value)]) for member in G]
    comparison = _group(
        "comparison", COMPARISON_LABEL, [by_group.get(member.value) for member in COMPARISON]
    )
    return OutcomeComparison(groups=groups, activity=groups[0], comparison=comparison)


def _group(key: str, label: str, rows: list) -> OutcomeGroup:
    found = [row for row in rows if row]

    def total(name: str) -> int:
        return sum(row[name] or 0 for row in found)

    return OutcomeGroup(
        key=key,
        label=label,
        ended=total("ended"),
        finished=total("finished"),
        rates={flag: Rate(total(f"{flag}_n"), total(f"{flag}_d")) for flag in OUTCOME_FLAGS},
        phq9_change=_mean(total("phq9_count"), total("phq9_sum"), total("phq9_squares")),
        gad7_change=_mean(total("gad7_count"), total("gad7_sum"), total("gad7_squares")),
        left_out={reason: total(reason) for reason in LEFT_OUT},
        still_in_treatment=total("still_in_treatment"),
    )


def _mean(count: int, total: float, squares: float) -> Mean:
    if not count:
        return Mean(value=None, count=0)
    mean = float(total) / count
    sd = None
    if count >= 2:
        variance = (float(squares) - count * mean**2) / (count - 1)
        sd = math.sqrt(max(0.0, variance))
    return Mean(value=mean, count=count, sd=sd)
