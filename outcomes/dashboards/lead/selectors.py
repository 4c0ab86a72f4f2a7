"""Read-side queries for the service lead's dashboard. Every query is scoped to one service and
aggregates in the database: a handful of queries whatever the size of the service, and Python
only ever sees grouped rows (at most a few thousand), never one row per person or referral."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
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
from referrals.models import Referral, ServiceUser
from referrals.nudges.models import Nudge, NudgeResponse
from talkingmoves.vocabulary.people import Gender

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
    "took_up": "Took up physical activity",
    "not_taken_up": "Referred, did not take up",
    "not_referred": "Not referred",
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
    aggregates = {
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
ETHNIC_GROUPS = {
    "White": ["A", "B", "C"],
    "Mixed or multiple ethnic groups": ["D", "E", "F", "G"],
    "Asian or Asian British": ["H", "J", "K", "L"],
    "Black or Black British": ["M", "N", "P"],
    "Other ethnic group": ["R", "S"],
    "Not stated or not known": ["Z", "99"],
}
NOT_RECORDED = "Not recorded"
AGE_BANDS = [(18, "Under 18"), (25, "18 to 24"), (35, "25 to 34"), (45, "35 to 44")]
AGE_BANDS += [(55, "45 to 54"), (65, "55 to 64")]
OLDEST_BAND = "65 and over"
DIMENSIONS = {
    "age_band": "Age",
    "gender": "Gender",
    "ethnic_group": "Ethnic group",
    "disability": "Disability or long-term condition",
    "step": "Step",
}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(on: date):
    """Age on the last day of the period, in bands, computed in the query."""
    whens = [When(date_of_birth__isnull=True, then=Value(NOT_RECORDED))]
    for upper, label in AGE_BANDS:
        # Younger than `upper` means born after this date.
        whens.append(When(date_of_birth__gt=_years_before(on, upper), then=Value(label)))
    return Case(*whens, default=Value(OLDEST_BAND), output_field=CharField())


def _ethnic_group():
    whens = [
        When(ethnic_category__in=codes, then=Value(label)) for label, codes in ETHNIC_GROUPS.items()
    ]
    return Case(*whens, default=Value(NOT_RECORDED), output_field=CharField())


def _label_maps():
    genders = {code: label for code, label in Gender.choices}
    return {
        "gender": lambda value: genders.get(value, NOT_RECORDED),
        "disability": lambda value: {True: "Yes", False: "No"}.get(value, NOT_RECORDED),
        "step": lambda value: ServiceUser.Step(value).label if value else NOT_RECORDED,
    }


@dataclass(frozen=True)
class EquityRow:
    label: str
    caseload: int
    referred: int
    took_up: int
    caseload_share: float | None
    referred_share: float | None
    took_up_share: float | None

    @property
    def referral_rate(self) -> Rate:
        return Rate(self.referred, self.caseload)

    @property
    def uptake_rate(self) -> Rate:
        return Rate(self.took_up, self.referred)


@dataclass(frozen=True)
class Equity:
    caseload: int
    referred: int
    took_up: int
    dimensions: dict[str, list[EquityRow]]  # keyed by DIMENSIONS


def equity(service_id, period: Period) -> Equity:
    """Among the caseload (everyone with an episode open during the period, or a referral in
    it): who is referred and who takes up, by group, beside the caseload's own make-up.
    One grouped query over every combination of the five dimensions; Python then adds up
    the combinations (bounded: a few thousand at most) for each dimension."""
    in_period = Referral.objects.filter(service_id=service_id).filter(db.sent_in(period))
    referred = Q(pk__in=in_period.values("service_user_id"))
    took_up = Q(pk__in=in_period.filter(db.attended_once()).values("service_user_id"))
    episode_in_period = (
        Episode.objects.filter(service_id=service_id, referral_received_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .values("service_user_id")
    )
    combos = (
        ServiceUser.objects.filter(service_id=service_id)
        .filter(referred | Q(pk__in=episode_in_period))
        .annotate(
            age_band=_age_band(period.end),
            ethnic_group=_ethnic_group(),
            disability=Case(
                When(has_disability_or_ltc=True, then=Value(1)),
                When(has_disability_or_ltc=False, then=Value(0)),
                default=Value(-1),
                output_field=IntegerField(),
            ),
        )
        .values("age_band", "gender", "ethnic_group", "disability", "step")
        .annotate(
            n=Count("pk"),
            n_referred=Count("pk", filter=referred),
            n_took_up=Count("pk", filter=took_up),
        )
        .order_by()
    )
    labels = _label_maps()
    disability = {1: True, 0: False, -1: None}
    totals = defaultdict(lambda: [0, 0, 0])
    for row in combos:
        for dimension in DIMENSIONS:
            value = row[dimension]
            if dimension == "disability":
                value = disability[value]
            label = labels[dimension](value) if dimension in labels else value
            counts = totals[(dimension, label)]
            counts[0] += row["n"]
            counts[1] += row["n_referred"]
            counts[2] += row["n_took_up"]
    caseload = sum(c[0] for (d, _), c in totals.items() if d == "step")
    referred = sum(c[1] for (d, _), c in totals.items() if d == "step")
    took_up = sum(c[2] for (d, _), c in totals.items() if d == "step")
    dimensions = {}
    for dimension in DIMENSIONS:
        rows = [
            EquityRow(
                label=label,
                caseload=counts[0],
                referred=counts[1],
                took_up=counts[2],
                caseload_share=counts[0] / caseload if caseload else None,
                referred_share=counts[1] / referred if referred else None,
                took_up_share=counts[2] / took_up if took_up else None,
            )
            for (d, label), counts in totals.items()
            if d == dimension
        ]
        dimensions[dimension] = sorted(rows, key=_equity_order(dimension))
    return Equity(caseload=caseload, referred=referred, took_up=took_up, dimensions=dimensions)


def _equity_order(dimension: str):
    """Bands in their natural order, "not recorded" last."""
    if dimension == "age_band":
        order = [label for _, label in AGE_BANDS] + [OLDEST_BAND]
    elif dimension == "ethnic_group":
        order = list(ETHNIC_GROUPS)
    elif dimension == "gender":
        order = [label for _, label in Gender.choices]
    elif dimension == "disability":
        order = ["Yes", "No"]
    else:
        order = [label for _, label in ServiceUser.Step.choices]
    return lambda row: (order.index(row.label) if row.label in order else len(order), row.label)


# Providers and activity types --------------------------------------------------------------


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
    aggregates = {
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
