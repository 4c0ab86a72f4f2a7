"""Read-side queries for the service lead's dashboard. Every query is scoped to one service and
aggregates in the database: a handful of queries whatever the size of the service, and Python
only ever sees grouped rows (at most a few thousand), never one row per person or referral."""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from outcomes.dashboards import db
from outcomes.dashboards.periods import Period
from outcomes.models import Episode, OutcomeSettings
from outcomes.stats import Mean, Rate
from referrals.models import Referral
from referrals.nudges.models import Nudge, NudgeResponse
from talkingmoves.vocabulary.uptake import ActivityGroup

S = Referral.Status
EXERCISE_REFERRAL_UPTAKE_BENCHMARK = 0.57  # average uptake across exercise-referral schemes


# Referral funnel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    referred: int
    accepted: int
    started: int
    completed: int
    signposted: int
    taken_up: int
    median_days_to_first_session: float | None
    first_sessions: int  # referrals with a dated first attended session

    @property
    def uptake(self) -> Rate:
        return Rate(self.started, self.referred)

    @property
    def is_empty(self) -> bool:
        return not (self.referred or self.signposted)


def _scope(service_id) -> dict:
    return {"service_id": service_id}


def referral_funnel(service_id, period: Period) -> Funnel:
    referrals = Referral.objects.filter(**_scope(service_id)).filter(db.sent_in(period))
    refer = Q(kind=Referral.Kind.REFER)
    figures = referrals.aggregate(
        referred=Count("pk", filter=refer),
        accepted=Count("pk", filter=refer & db.accepted()),
        started=Count("pk", filter=refer & db.attended_once()),
        completed=Count("pk", filter=refer & Q(status=S.COMPLETED)),
        signposted=Count("pk", filter=~refer),
        taken_up=Count("pk", filter=~refer & Q(status=S.TAKEN_UP)),
    )
    median, dated = _median_days_to_first_session(service_id, period)
    return Funnel(**figures, median_days_to_first_session=median, first_sessions=dated)


def _median_days_to_first_session(service_id, period: Period) -> tuple[float | None, int]:
    """Days from sending each referral (sent in the period) to its first attended session,
    and the median of those."""
    firsts = Referral.objects.filter(
        service_id=service_id,
        kind=Referral.Kind.REFER,
        sent_at__gte=period.starts_at,
        sent_at__lt=period.ends_before,
        first_attended_on__isnull=False,
    ).annotate(sent_on=TruncDate("sent_at"))
    if db.has_median():
        figures = firsts.annotate(
            days=db.DateDifference(F("first_attended_on"), F("sent_on"))
        ).aggregate(median=db.Median("days"), dated=Count("pk"))
        return figures["median"], figures["dated"]
    rows = [
        (None, (first - sent).days)
        for first, sent in firsts.values_list("first_attended_on", "sent_on")
    ]
    return db.python_medians(rows).get(None), len(rows)


# Follow-up messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class NudgeAnswers:
    sent: int
    answered: int
    by_answer: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> Rate:
        return Rate(self.answered, self.sent)


def nudge_answer_rates(service_id, period: Period) -> NudgeAnswers:
    """Service-user messages sent (or delivered) in the period, and how many were answered
    through their link."""
    nudges = Nudge.objects.filter(
        service_id=service_id,
        audience=Nudge.Audience.SERVICE_USER,
        status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED],
        sent_at__gte=period.starts_at,
        sent_at__lt=period.ends_before,
    )

    answers = NudgeResponse.Answer
    # One pass over the answers to these messages (a message can get several answers).
    figures = NudgeResponse.objects.filter(nudge__in=nudges).aggregate(
        answered=Count("nudge_id", distinct=True),
        **{
            answer.value: Count("nudge_id", filter=Q(answer=answer.value), distinct=True)
            for answer in answers
        },
    )
    figures["sent"] = nudges.count()
    return NudgeAnswers(
        sent=figures["sent"],
        answered=figures["answered"],
        by_answer={answer.label: figures[answer.value] for answer in answers},
    )


# Outcomes by uptake of physical activity ---------------------------------------------------

OUTCOME_GROUPS = {
    "took_up": ActivityGroup.TOOK_UP.label,
    "not_taken_up": ActivityGroup.NOT_TAKEN_UP.label,
    "not_referred": ActivityGroup.NOT_REFERRED.label,
}
OUTCOME_FLAGS = {
    "recovered": "Recovery",
    "reliably_recovered": "Reliable recovery",
    "reliably_improved": "Reliable improvement",
    "reliably_deteriorated": "Reliable deterioration",
}


@dataclass(frozen=True)
class OutcomeGroup:
    key: str
    label: str
    ended: int
    finished: int
    rates: dict[str, Rate]  # keyed by OUTCOME_FLAGS
    phq9_change: Mean
    gad7_change: Mean


def _referral_group(service_id):
    """Which comparison group an episode's service user is in, decided in the query."""
    referrals = Referral.objects.filter(service_id=service_id).filter(db.ever_sent())
    took_up = referrals.filter(db.attended_once())
    return Case(
        When(service_user_id__in=took_up.values("service_user_id"), then=Value("took_up")),
        When(service_user_id__in=referrals.values("service_user_id"), then=Value("not_taken_up")),
        default=Value("not_referred"),
        output_field=CharField(),
    )


def outcome_comparison(service_id, period: Period) -> list[OutcomeGroup]:
    """Episodes that ended in the period, compared by whether the person took up activity.
    Each rate uses the national denominator: rows where rules.assess left the flag None are
    not in it."""
    finished = Q(finished_treatment=True)
    aggregates: dict[str, Aggregate] = {
        "ended": Count("pk"),
        "finished": Count("pk", filter=finished),
    }
    for flag in OUTCOME_FLAGS:
        aggregates[f"{flag}_n"] = Count("pk", filter=Q(**{flag: True}))
        aggregates[f"{flag}_d"] = Count(flag)
    for measure in ("phq9", "gad7"):
        change = f"{measure}_change"
        aggregates[f"{measure}_mean"] = Avg(change, filter=finished)
        aggregates[f"{measure}_count"] = Count(change, filter=finished)
        # The sum of squares gives the standard deviation portably (SQLite's STDDEV_SAMP
        # fails on one value).
        aggregates[f"{measure}_squares"] = Sum(F(change) * F(change), filter=finished)
    rows = (
        Episode.objects.filter(
            service_id=service_id, ended_on__gte=period.start, ended_on__lte=period.end
        )
        .annotate(group=_referral_group(service_id))
        .values("group")
        .annotate(**aggregates)
        .order_by()
    )
    by_group = {row["group"]: row for row in rows}
    groups = []
    for key, label in OUTCOME_GROUPS.items():
        row = by_group.get(key, defaultdict(int))
        groups.append(
            OutcomeGroup(
                key=key,
                label=label,
                ended=row["ended"],
                finished=row["finished"],
                rates={flag: Rate(row[f"{flag}_n"], row[f"{flag}_d"]) for flag in OUTCOME_FLAGS},
                phq9_change=_mean(row, "phq9"),
                gad7_change=_mean(row, "gad7"),
            )
        )
    return groups


def _mean(row, measure: str) -> Mean:
    mean, count = row.get(f"{measure}_mean"), row[f"{measure}_count"]
    sd = None
    if mean is not None and count >= 2:
        variance = (float(row[f"{measure}_squares"]) - count * float(mean) ** 2) / (count - 1)
        sd = math.sqrt(max(0.0, variance))
    return Mean(value=float(mean) if mean is not None else None, count=count, sd=sd)


def targets_for(service_id) -> OutcomeSettings:
    """The service's targets, or the defaults (without writing a row on a read)."""
    return OutcomeSettings.objects.filter(service_id=service_id).first() or OutcomeSettings(
        service_id=service_id
    )


# Equity ------------------------------------------------------------------------------------


# Top-level groups of the NHS ethnic category codes (referrals.models.EthnicCategory).
@dataclass(frozen=True)
class ReferralPerformance:
    label: str
    referred: int
    answered: int
    accepted: int
    started: int
    completed: int
    median_reply_days: float | None

    @property
    def acceptance(self) -> Rate:
        return Rate(self.accepted, self.referred)

    @property
    def uptake(self) -> Rate:
        return Rate(self.started, self.referred)

    @property
    def completion(self) -> Rate:
        return Rate(self.completed, self.started)


BY_PROVIDER = "activity__provider__name"
BY_ACTIVITY_TYPE = "activity__activity_type__label"


def referral_performance(
    service_id, period: Period, *, by: str, limit: int | None = None
) -> list[ReferralPerformance]:
    """Referrals sent in the period, by provider or by activity type, most referred first
    (the first `limit` only, when given). An automatic decline is not a reply, so it counts
    against acceptance but not reply time."""
    referrals = Referral.objects.filter(kind=Referral.Kind.REFER, **_scope(service_id)).filter(
        db.sent_in(period)
    )
    replied = Q(answered_at__isnull=False) & ~Q(decline_reason=Referral.DeclineReason.NO_RESPONSE)
    aggregates: dict[str, Aggregate] = {
        "referred": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "accepted": Count("pk", filter=db.accepted()),
        "started": Count("pk", filter=db.attended_once()),
        "completed": Count("pk", filter=Q(status=S.COMPLETED)),
    }
    if db.has_median():
        aggregates["median_reply_days"] = db.Median(db.response_days(), filter=replied)
    rows = list(referrals.values(by).annotate(**aggregates).order_by("-referred", by)[:limit])
    if not db.has_median():
        medians = db.python_medians(
            referrals.filter(replied).annotate(took=db.response_time()).values_list(by, "took")
        )
        for row in rows:
            row["median_reply_days"] = medians.get(row[by])
    return [
        ReferralPerformance(
            label=row[by],
            **{key: row[key] for key in aggregates if key != "median_reply_days"},
            median_reply_days=row["median_reply_days"],
        )
        for row in rows
    ]
