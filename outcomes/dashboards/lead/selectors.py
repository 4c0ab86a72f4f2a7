"""Read-side queries for the service lead's dashboard. Every query is scoped to one service and
aggregates in the database: a handful of queries whatever the size of the service, and Python
only ever sees grouped rows (at most a few thousand), never one row per person or referral."""

from dataclasses import dataclass, field

from django.db.models import Aggregate, Count, F, Q, Sum
from django.db.models.functions import TruncDate

from outcomes.dashboards import db
from outcomes.dashboards.lead import referral_facts
from outcomes.dashboards.periods import Period
from outcomes.models import NudgeDayFact, OutcomeSettings, ReferralDayFact
from outcomes.stats import Rate
from referrals.models import Referral
from referrals.nudges.models import Nudge, NudgeResponse

S = Referral.Status
EXERCISE_REFERRAL_UPTAKE_BENCHMARK = 0.57  # average uptake across exercise-referral schemes


# Referral funnel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    referred: int
    accepted: int
    started: int  # a session on the provider's register
    self_reported: int  # only the person's word that they went: not in `started`
    completed: int
    signposted: int
    taken_up: int  # signposting marked taken up: the person's word
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
    """From the referral facts by day (PostgreSQL; ADR 018), else from the referrals."""
    counts = _funnel_from_facts if db.has_median() else _funnel_counts
    figures = counts(service_id, period)
    median, dated = median_days_to_first_session(service_id, period)
    return Funnel(**figures, median_days_to_first_session=median, first_sessions=dated)


def referral_funnel_raw(service_id, period: Period) -> Funnel:
    """The reference: every count from the referrals themselves."""
    median, dated = _median_days_to_first_session_raw(service_id, period)
    return Funnel(
        **_funnel_counts(service_id, period),
        median_days_to_first_session=median,
        first_sessions=dated,
    )


def _funnel_from_facts(service_id, period: Period) -> dict:
    days = ReferralDayFact.objects.filter(
        service_id=service_id, day__gte=period.start, day__lte=period.end
    )
    counted = (
        *("referred", "accepted", "started", "self_reported", "completed"),
        *("signposted", "taken_up"),
    )
    figures = days.aggregate(**{key: Sum(key) for key in counted})
    return {key: figures[key] or 0 for key in counted}


def _funnel_counts(service_id, period: Period) -> dict:
    referrals = Referral.objects.filter(**_scope(service_id)).filter(db.sent_in(period))
    refer = Q(kind=Referral.Kind.REFER)
    return referrals.aggregate(
        referred=Count("pk", filter=refer),
        accepted=Count("pk", filter=refer & db.accepted()),
        started=Count("pk", filter=refer & db.attended_once()),
        self_reported=Count("pk", filter=refer & db.self_reported_only()),
        completed=Count("pk", filter=refer & Q(status=S.COMPLETED)),
        signposted=Count("pk", filter=~refer),
        taken_up=Count("pk", filter=~refer & Q(status=S.TAKEN_UP)),
    )


def median_days_to_first_session(service_id, period: Period) -> tuple[float | None, int]:
    """From the referrals' narrow copies (PostgreSQL, ADR 021), else from the referrals."""
    if db.has_median():
        return referral_facts.median_days_to_first_session(service_id, period)
    return _median_days_to_first_session_raw(service_id, period)


def _median_days_to_first_session_raw(service_id, period: Period) -> tuple[float | None, int]:
    """Days from sending each referral (sent in the period) to its first session on the
    provider's register, and the median of those."""
    firsts = Referral.objects.filter(
        service_id=service_id,
        kind=Referral.Kind.REFER,
        sent_at__gte=period.starts_at,
        sent_at__lt=period.ends_before,
        provider_attended_on__isnull=False,
    ).annotate(sent_on=TruncDate("sent_at"))
    if db.has_median():
        figures = firsts.annotate(
            days=db.DateDifference(F("provider_attended_on"), F("sent_on"))
        ).aggregate(median=db.Median("days"), dated=Count("pk"))
        return figures["median"], figures["dated"]
    rows = [
        (None, (first - sent).days)
        for first, sent in firsts.values_list("provider_attended_on", "sent_on")
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
    """From the message facts by day (PostgreSQL; ADR 018), else from the messages."""
    if not db.has_median():
        return nudge_answer_rates_raw(service_id, period)
    answers = NudgeResponse.Answer
    days = NudgeDayFact.objects.filter(
        service_id=service_id, day__gte=period.start, day__lte=period.end
    )
    counted = ("sent", "answered", *answers.values)
    figures = days.aggregate(**{key: Sum(key) for key in counted})
    figures = {key: figures[key] or 0 for key in counted}
    return NudgeAnswers(
        sent=figures["sent"],
        answered=figures["answered"],
        by_answer={answer.label: figures[answer.value] for answer in answers},
    )


def nudge_answer_rates_raw(service_id, period: Period) -> NudgeAnswers:
    """Service-user messages sent (or delivered) in the period, and how many were answered
    through their link: the reference, from the messages themselves."""
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


# Outcomes by uptake of physical activity: comparison.py ---------------------------------


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
    started: int  # on the provider's register
    self_reported: int  # the person's word only
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
    aggregates: dict[str, Aggregate] = {
        "referred": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "accepted": Count("pk", filter=db.accepted()),
        "started": Count("pk", filter=db.attended_once()),
        "self_reported": Count("pk", filter=db.self_reported_only()),
        "completed": Count("pk", filter=Q(status=S.COMPLETED)),
    }
    rows = list(referrals.values(by).annotate(**aggregates).order_by("-referred", by)[:limit])
    # Medians apart, for the rows shown only: an ordered-set aggregate sorts every referral
    # of every group, three times the cost of the counts at the bench's size.
    some = limit is not None and len(rows) == limit
    medians = reply_medians_raw(
        service_id, period, by=by, labels=[row[by] for row in rows] if some else None
    )
    for row in rows:
        row["median_reply_days"] = medians.get(row[by])
    return [
        ReferralPerformance(
            label=row[by],
            **{key: row[key] for key in aggregates},
            median_reply_days=row["median_reply_days"],
        )
        for row in rows
    ]


def reply_medians(service_id, period: Period, *, by: str, labels=None) -> dict:
    """From the referrals' narrow copies (PostgreSQL, ADR 021), else from the referrals."""
    if db.has_median():
        return referral_facts.reply_medians(service_id, period, by=by, labels=labels)
    return reply_medians_raw(service_id, period, by=by, labels=labels)


def reply_medians_raw(service_id, period: Period, *, by: str, labels=None) -> dict:
    """{label: median days to the provider's reply} for referrals sent in the period, for
    the given labels only when some rows are not shown (few rows, found by activity). An
    automatic decline is not a reply."""
    replied = Q(answered_at__isnull=False) & ~Q(decline_reason=Referral.DeclineReason.NO_RESPONSE)
    shown = (
        Referral.objects.filter(kind=Referral.Kind.REFER, **_scope(service_id))
        .filter(db.sent_in(period))
        .filter(replied)
    )
    if labels is not None:
        shown = shown.filter(**{f"{by}__in": labels})
    if db.has_median():
        return dict(
            shown.values(by)
            .order_by()
            .annotate(median=db.Median(db.response_days()))
            .values_list(by, "median")
        )
    return db.python_medians(shown.annotate(took=db.response_time()).values_list(by, "took"))
