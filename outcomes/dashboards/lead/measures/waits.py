"""Waits: from the Talking Therapies referral to the first attended treatment appointment,
from sending an activity referral to its first session on the provider's register, and
more than 90 days between the first and second treatment appointments.

A wait is counted when it ends in the period (the person started treatment, or attended a
first session, then), so every wait counted is complete and none is still running."""

from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from outcomes.dashboards import db
from outcomes.dashboards.lead import referral_facts, wait_facts
from outcomes.dashboards.lead.measures.common import DatedPeriod, DaysBetween, ended_in, on_in
from outcomes.models import Appointment, Episode
from outcomes.stats import Rate
from referrals.models import Attendance, Referral

SIX_WEEKS = 6 * 7
EIGHTEEN_WEEKS = 18 * 7
LONG_GAP_DAYS = 90
# NHS Talking Therapies waiting-time standards: from referral to first treatment.
SIX_WEEK_STANDARD = 0.75
EIGHTEEN_WEEK_STANDARD = 0.95


@dataclass(frozen=True)
class Wait:
    started: int
    within_6_weeks: int
    within_18_weeks: int
    median_days: float | None

    @property
    def six_weeks(self) -> Rate:
        return Rate(self.within_6_weeks, self.started)

    @property
    def eighteen_weeks(self) -> Rate:
        return Rate(self.within_18_weeks, self.started)


def _attended_treatment(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}attendance": Appointment.Attendance.ATTENDED,
            f"{prefix}kind__in": Appointment.TREATMENT_KINDS,
        }
    )


def _wait(rows, days_field: str) -> Wait:
    """Counts within 6 and 18 weeks and the median of `days_field`, in one query."""
    figures = rows.aggregate(
        started=Count("pk"),
        within_6_weeks=Count("pk", filter=Q(**{f"{days_field}__lte": SIX_WEEKS})),
        within_18_weeks=Count("pk", filter=Q(**{f"{days_field}__lte": EIGHTEEN_WEEKS})),
        **({"median_days": db.Median(days_field)} if db.has_median() else {}),
    )
    if not db.has_median():  # SQLite: the median in Python (the zero-setup default only)
        figures["median_days"] = db.python_medians(
            (None, days) for days in rows.values_list(days_field, flat=True)
        ).get(None)
    return Wait(**figures)


def _wait_of_counts(counts: list[tuple[int, int]]) -> Wait:
    return Wait(
        started=sum(n for _, n in counts),
        within_6_weeks=sum(n for days, n in counts if days <= SIX_WEEKS),
        within_18_weeks=sum(n for days, n in counts if days <= EIGHTEEN_WEEKS),
        median_days=referral_facts.median_of_counts(counts),
    )


def treatment_wait(service_id, period: DatedPeriod) -> Wait:
    """Episodes whose first attended treatment appointment was in the period: from the
    waits kept by day and length (PostgreSQL, ADR 023), else from the episodes. Equal to
    treatment_wait_from_episodes, treatment_wait_joined and treatment_wait_raw."""
    if not db.has_median():
        return treatment_wait_from_episodes(service_id, period)
    return _wait_of_counts(wait_facts.wait_counts(service_id, wait_facts.Kind.TREATMENT, period))


def treatment_wait_from_episodes(service_id, period: DatedPeriod) -> Wait:
    """The same from the date each episode keeps (`first_treatment_on`, indexed with the
    service; ADR 016)."""
    rows = (
        Episode.objects.filter(service_id=service_id, referral_received_on__lte=period.end)
        .filter(on_in("first_treatment_on", period))
        .annotate(days=DaysBetween(F("first_treatment_on"), F("referral_received_on")))
    )
    return _wait(rows, "days")


def treatment_wait_joined(service_id, period: DatedPeriod) -> Wait:
    """The same from the appointments: those with one in the period and none before it,
    found from the attended-treatment index by date (`appointment_treated_on`)."""
    treated_before = Appointment.objects.filter(
        _attended_treatment(), episode=OuterRef("pk"), on__lt=period.start
    )
    rows = (
        Episode.objects.filter(service_id=service_id, referral_received_on__lte=period.end)
        .filter(~Exists(treated_before))
        # One join: the episode's attended treatments in the period, the first of them.
        .filter(_attended_treatment("appointments__"), on_in("appointments__on", period))
        .values("pk")
        .annotate(first_on=Min("appointments__on"))
        .annotate(days=DaysBetween(F("first_on"), F("referral_received_on")))
    )
    return _wait(rows, "days")


def treatment_wait_raw(service_id, period: DatedPeriod) -> Wait:
    """Each episode's first attended treatment, then those in the period: the reference."""
    first = (
        Appointment.objects.filter(_attended_treatment(), episode=OuterRef("pk"))
        .order_by("on", "pk")
        .values("on")[:1]
    )
    # Only episodes with a treatment in the period can have started in it: a cheap test
    # first, so the first-treatment lookup runs for those alone.
    treated_in_period = Appointment.objects.filter(
        _attended_treatment(), on_in("on", period), episode=OuterRef("pk")
    )
    rows = (
        Episode.objects.filter(service_id=service_id, referral_received_on__lte=period.end)
        .filter(Exists(treated_in_period))
        .annotate(first_on=Subquery(first))
        .filter(on_in("first_on", period))
        .annotate(days=DaysBetween(F("first_on"), F("referral_received_on")))
    )
    return _wait(rows, "days")


def activity_wait(service_id, period: DatedPeriod) -> Wait:
    """Activity referrals whose first session on the provider's register (not the person's
    own word) was in the period, from the day the referral was sent: from the waits kept
    by day and length (PostgreSQL, ADR 023), else from the referrals. Equal to
    activity_wait_from_copies, activity_wait_from_referrals and activity_wait_raw."""
    if not db.has_median():
        return activity_wait_from_referrals(service_id, period)
    kind = wait_facts.Kind.FIRST_SESSION
    return _wait_of_counts(wait_facts.wait_counts(service_id, kind, period))


def activity_wait_from_copies(service_id, period: DatedPeriod) -> Wait:
    """The same from the referrals' narrow copies (ADR 021; index referral_fact_attended)."""
    counts = referral_facts.waits_of(referral_facts.first_sessions_in(service_id, period))
    return _wait_of_counts(counts)


def activity_wait_from_referrals(service_id, period: DatedPeriod) -> Wait:
    """The same from each referral's own `provider_attended_on` (indexed with the service)."""
    rows = (
        Referral.objects.filter(service_id=service_id, kind=Referral.Kind.REFER)
        .filter(sent_at__isnull=False)
        .filter(on_in("provider_attended_on", period))
        .annotate(sent_on=TruncDate("sent_at"))
        .annotate(days=DaysBetween(F("provider_attended_on"), F("sent_on")))
    )
    return _wait(rows, "days")


def activity_wait_raw(service_id, period: DatedPeriod) -> Wait:
    """The same from the attendance rows themselves: the reference the tests compare with."""
    sessions = Attendance.objects.filter(
        referral=OuterRef("pk"),
        status=Attendance.Status.ATTENDED,
        source=Attendance.SOURCE_PROVIDER,
    )
    first = sessions.order_by("session_date").values("session_date")[:1]
    rows = (
        Referral.objects.filter(
            service_id=service_id,
            kind=Referral.Kind.REFER,
            sent_at__isnull=False,
            # The first session of any kind comes no later than the first on the register.
            first_attended_on__lte=period.end,
        )
        .filter(Exists(sessions.filter(on_in("session_date", period))))
        .annotate(first_session_on=Subquery(first), sent_on=TruncDate("sent_at"))
        .filter(on_in("first_session_on", period))
        .annotate(days=DaysBetween(F("first_session_on"), F("sent_on")))
    )
    return _wait(rows, "days")


IN_ORDER = ("appointments__on", "appointments__pk")


def long_gaps(service_id, period: DatedPeriod) -> Rate:
    """Of episodes that ended in the period having finished treatment (two or more attended
    treatment appointments), those with more than 90 days between the first and second:
    from the dates each episode keeps (ADR 016). Equal to long_gaps_raw."""
    rows = (
        Episode.objects.filter(service_id=service_id, finished_treatment=True)
        .filter(ended_in(period))
        .filter(second_treatment_on__isnull=False)
        .annotate(gap=DaysBetween(F("second_treatment_on"), F("first_treatment_on")))
    )
    figures = rows.aggregate(
        finished=Count("pk"), long=Count("pk", filter=Q(gap__gt=LONG_GAP_DAYS))
    )
    return Rate(figures["long"], figures["finished"])


def long_gaps_joined(service_id, period: DatedPeriod) -> Rate:
    """The same from each episode's attended treatment dates in order, in one join."""
    if not db.has_median():  # SQLite, the zero-setup default: the ORM's portable form
        return long_gaps_raw(service_id, period)
    rows = (
        Episode.objects.filter(service_id=service_id, finished_treatment=True)
        .filter(ended_in(period))
        .filter(_attended_treatment("appointments__"))
        .values("pk")
        .annotate(
            dates=ArrayAgg("appointments__on", order_by=("appointments__on", "appointments__pk"))
        )
        .annotate(gap=DaysBetween(F("dates__1"), F("dates__0")))
    )
    figures = rows.aggregate(
        finished=Count("pk", filter=Q(dates__len__gte=2)),
        long=Count("pk", filter=Q(gap__gt=LONG_GAP_DAYS)),
    )
    return Rate(figures["long"], figures["finished"])


def long_gaps_raw(service_id, period: DatedPeriod) -> Rate:
    """Each episode's first and second treatment looked up one by one: the reference."""
    treatments = Appointment.objects.filter(_attended_treatment(), episode=OuterRef("pk"))
    in_order = treatments.order_by("on", "pk").values("on")
    rows = (
        Episode.objects.filter(service_id=service_id, finished_treatment=True)
        .filter(ended_in(period))
        .annotate(first_on=Subquery(in_order[:1]), second_on=Subquery(in_order[1:2]))
        .annotate(gap=DaysBetween(F("second_on"), F("first_on")))
    )
    figures = rows.aggregate(
        finished=Count("pk", filter=Q(second_on__isnull=False)),
        long=Count("pk", filter=Q(gap__gt=LONG_GAP_DAYS)),
    )
    return Rate(figures["long"], figures["finished"])
