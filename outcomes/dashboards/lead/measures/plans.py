"""Personal activity plans (ADR 019) for the service lead, for the chosen period, overall and
by the groups the other sections break down by (breakdowns.DEMOGRAPHICS):

- People with a plan agreed: people with a plan sent to them in the period (a replacement
  sent in the period is the same person once). A draft is not counted: nothing records that
  it was agreed (it may have been printed instead), so drafts made in the period are shown
  as left out.
- Check-ins asked and answered: a check-in is due for each week of a sent plan, so each plan
  week whose last day fell in the period, and before today, was asked; it was answered when
  the person (or their clinician for them) recorded that week. Weeks of a plan that ended
  after it was replaced by a newer sent plan were not asked (its link says the plan has
  changed), and are shown as left out.
- Goal reached: of sent plans whose last week ended in the period (and before today), and
  were not replaced before then, those whose answer for the last week reports weekly
  minutes (days done times minutes each time) at or above the plan's weekly goal. Plans with no
  answer for the last week are left out.
- Change in weekly active minutes: for the same plans, the latest weekly-minutes measure
  taken after the plan's first day and no later than its last, less the measure the plan
  was made from (`start_minutes`); a mean with Student's t interval.

Plan-week arithmetic (a week's last day is `starts_on + 7 * week - 1`) is written as ranges
on `starts_on`, one for each possible week number, so the database compares dates and
columns only. Each measure is one grouped query over every combination of the groups;
Python adds up the combinations, as recovery by group does. These ORM queries are the
reference and SQLite's way; PostgreSQL counts the same in one statement (plan_counts.py)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from outcomes.dashboards import db
from outcomes.dashboards.lead.measures import breakdowns as bd
from outcomes.dashboards.lead.measures import plan_counts
from outcomes.dashboards.lead.measures.common import DatedPeriod, DaysBetween
from outcomes.dashboards.lead.measures.plan_counts import (
    AFTER_REPLACED,
    ALL,
    ANSWERED,
    COUNTED,
    DIMENSIONS,
    NO_ANSWER,
    NO_MEASURE,
    NO_START,
    NOT_REACHED,
    REACHED,
    REPLACED,
    UNANSWERED,
    add_up,
)
from outcomes.models import ActivityPlan, Measure, PlanCheckIn, PlanStep
from outcomes.plans.models import MAX_WEEKS
from outcomes.stats import Mean, Rate, mean_from_sums

# Why a plan, or a plan week, is not in a figure, keyed as PlanRow.left_out is.
LEFT_OUT = {
    "drafts": "Plans made but not sent (not counted as agreed)",
    "after_replaced": "Check-ins not asked: weeks after the plan was replaced",
    "replaced": "Plans replaced by a newer plan before their last week ended",
    "no_answer": "Plans with no answer for their last week",
    "no_start": "Plans with no weekly-minutes measure when they were made",
    "no_measure": "Plans with no weekly-minutes measure during the plan",
}
CAVEAT = (
    "Check-ins are what people say they managed, and plans are agreed with the people most "
    "ready to be active, so these figures describe people with a plan: they do not show "
    "what a plan does, and people who answer may differ from those who do not."
)


@dataclass(frozen=True)
class PlanRow:
    label: str
    people: int = 0  # with a plan sent in the period
    asked: int = 0
    answered: int = 0
    ended: int = 0  # sent plans whose last week ended in the period
    reached: int = 0
    goal_counted: int = 0  # not replaced before the end, with an answer for the last week
    minutes_change: Mean = field(default_factory=lambda: Mean(value=None, count=0))
    left_out: dict[str, int] = field(default_factory=dict)  # keyed by LEFT_OUT

    @property
    def response(self) -> Rate:
        return Rate(self.answered, self.asked)

    @property
    def goal(self) -> Rate:
        return Rate(self.reached, self.goal_counted)


@dataclass(frozen=True)
class PlanFigures:
    all: PlanRow
    groups: dict[str, list[PlanRow]]  # by dimension (DIMENSIONS), in each one's order

    @property
    def is_empty(self) -> bool:
        row = self.all
        return not (row.people or row.asked or row.ended or row.left_out.get("drafts"))


def _last_ended_day(period: DatedPeriod, today: date | None) -> date:
    """A week has ended once its last day is over: nothing ending today or later counts."""
    yesterday = (today or timezone.localdate()) - timedelta(days=1)
    return min(period.end, yesterday)


def _week_ends_in(first: date, last: date, *, starts: str, week: str) -> Q:
    """Week `week` of a plan starting on `starts` has its last day from `first` to `last`."""
    found = Q(pk__in=[])
    if last < first:
        return found
    for number in range(1, MAX_WEEKS + 1):
        offset = timedelta(days=7 * number - 1)
        found |= Q(
            **{week: number, f"{starts}__gte": first - offset, f"{starts}__lte": last - offset}
        )
    return found


def _replaced_on(plan: str):
    """The day a newer plan replacing this one was sent (None while it has not been)."""
    newer = ActivityPlan.objects.filter(replaces=OuterRef(plan), sent_at__isnull=False)
    return TruncDate(Subquery(newer.order_by("sent_at").values("sent_at")[:1]))


def _groups(on: date, person: str) -> dict:
    return {**bd.person_groups(on, person), "step": F(f"{person}step")}


def _agreed(service_id, period: DatedPeriod):
    """People with a plan sent in the period; drafts made in the period and not sent."""
    starts_at, ends_before = (
        timezone.make_aware(datetime.combine(day, time.min))
        for day in (period.start, period.end + timedelta(days=1))
    )
    sent = Q(sent_at__gte=starts_at, sent_at__lt=ends_before)
    draft = Q(
        status=ActivityPlan.Status.DRAFT, created_at__gte=starts_at, created_at__lt=ends_before
    )
    rows = (
        ActivityPlan.objects.filter(service_user__service_id=service_id)
        .filter(sent | draft)
        .annotate(**_groups(period.end, "service_user__"))
        .values(*DIMENSIONS)
        .annotate(
            n_people=Count("service_user", filter=sent, distinct=True),
            n_drafts=Count("pk", filter=draft),
        )
        .order_by()
    )
    return add_up(rows, ())


def _check_ins(service_id, period: DatedPeriod, last: date):
    """Plan weeks that ended in the period, by whether they were asked and answered."""
    answered = PlanCheckIn.objects.filter(plan=OuterRef("plan"), week=OuterRef("week"))
    rows = (
        PlanStep.objects.filter(
            plan__service_user__service_id=service_id, plan__sent_at__isnull=False
        )
        .filter(_week_ends_in(period.start, last, starts="plan__starts_on", week="week"))
        .alias(replaced_on=_replaced_on("plan"))
        .alias(replaced_days=_replaced_days("plan"))
        .annotate(
            kind=Case(
                # The newer plan was sent on or before this week's last day.
                When(
                    replaced_on__isnull=False,
                    replaced_days__lt=7 * F("week"),
                    then=Value(AFTER_REPLACED),
                ),
                When(Exists(answered), then=Value(ANSWERED)),
                default=Value(UNANSWERED),
                output_field=CharField(),
            ),
        )
        .annotate(**_groups(period.end, "plan__service_user__"))
        .values(*DIMENSIONS, "kind")
        .annotate(n_weeks=Count("pk"))
        .order_by()
    )
    return add_up(rows, ("kind",))


def _replaced_days(plan: str):
    """Days from the plan's first day to the day it was replaced."""
    return DaysBetween(F("replaced_on"), F(f"{plan}__starts_on"))


def _ended(service_id, period: DatedPeriod, last: date):
    """Sent plans whose last week ended in the period: a plan's last week is its step with
    no later one."""
    later_week = PlanStep.objects.filter(plan=OuterRef("plan"), week__gt=OuterRef("week"))
    last_answer = PlanCheckIn.objects.filter(plan=OuterRef("plan"), week=OuterRef("week"))
    during = (
        Measure.objects.filter(
            episode__service_user=OuterRef("plan__service_user"),
            kind=Measure.Kind.ACTIVITY_MINUTES,
            taken_on__gt=OuterRef("plan__starts_on"),
        )
        .alias(days_in=DaysBetween(F("taken_on"), OuterRef("plan__starts_on")))
        .filter(days_in__lt=7 * OuterRef("week"))
        .order_by("-taken_on", "-recorded_at", "-pk")
    )
    rows = (
        PlanStep.objects.filter(
            plan__service_user__service_id=service_id, plan__sent_at__isnull=False
        )
        .filter(_week_ends_in(period.start, last, starts="plan__starts_on", week="week"))
        .filter(~Exists(later_week))
        .alias(
            replaced_on=_replaced_on("plan"),
            last_minutes=Subquery(
                last_answer.values(minutes=F("days_done") * F("minutes_a_day"))[:1]
            ),
            latest_minutes=Subquery(during.values(minutes=Cast("total", IntegerField()))[:1]),
        )
        .alias(replaced_days=_replaced_days("plan"))
        .annotate(
            goal=Case(
                When(
                    replaced_on__isnull=False,
                    replaced_days__lt=7 * F("week"),
                    then=Value(REPLACED),
                ),
                When(last_minutes__isnull=True, then=Value(NO_ANSWER)),
                When(last_minutes__gte=F("plan__target_minutes"), then=Value(REACHED)),
                default=Value(NOT_REACHED),
                output_field=CharField(),
            ),
            measured=Case(
                When(plan__start_minutes__isnull=True, then=Value(NO_START)),
                When(latest_minutes__isnull=True, then=Value(NO_MEASURE)),
                default=Value(COUNTED),
                output_field=CharField(),
            ),
        )
        .alias(change=F("latest_minutes") - Cast("plan__start_minutes", IntegerField()))
        .annotate(**_groups(period.end, "plan__service_user__"))
        .values(*DIMENSIONS, "goal", "measured")
        .annotate(
            n_plans=Count("pk"),
            n_change=Sum("change"),
            n_squares=Sum(F("change") * F("change")),
        )
        .order_by()
    )
    return add_up(rows, ("goal", "measured"))


def _row(label: str, agreed, weeks, ended) -> PlanRow:
    def plans(goal=None, measured=None) -> int:
        return sum(
            n
            for (g, m, name), n in ended.items()
            if name == "n_plans" and goal in (None, g) and measured in (None, m)
        )

    def kept(name: str, measured: str) -> int:
        return sum(
            n for (g, m, key), n in ended.items() if key == name and g != REPLACED and m == measured
        )

    counted = kept("n_plans", COUNTED)
    return PlanRow(
        label=label,
        people=agreed[("n_people",)],
        asked=weeks[(ANSWERED, "n_weeks")] + weeks[(UNANSWERED, "n_weeks")],
        answered=weeks[(ANSWERED, "n_weeks")],
        ended=plans(),
        reached=plans(goal=REACHED),
        goal_counted=plans(goal=REACHED) + plans(goal=NOT_REACHED),
        minutes_change=mean_from_sums(
            counted, kept("n_change", COUNTED), kept("n_squares", COUNTED)
        ),
        left_out={
            "drafts": agreed[("n_drafts",)],
            "after_replaced": weeks[(AFTER_REPLACED, "n_weeks")],
            "replaced": plans(goal=REPLACED),
            "no_answer": plans(goal=NO_ANSWER),
            "no_start": kept("n_plans", NO_START),
            "no_measure": kept("n_plans", NO_MEASURE),
        },
    )


def plan_figures(
    service_id, period: DatedPeriod, today: date | None = None, *, one_pass: bool | None = None
) -> PlanFigures:
    """One statement on PostgreSQL (plan_counts.py); elsewhere, or with one_pass=False, the
    three grouped ORM queries here, which are the reference."""
    last = _last_ended_day(period, today)
    use_one_pass = db.has_median() if one_pass is None else one_pass
    if use_one_pass:
        parts = plan_counts.counted(service_id, period, last)
        agreed, weeks, ended = parts["agreed"], parts["weeks"], parts["ended"]
    else:
        agreed = _agreed(service_id, period)
        weeks = _check_ins(service_id, period, last)
        ended = _ended(service_id, period, last)
    everyone = _row(ALL, agreed[(ALL, ALL)], weeks[(ALL, ALL)], ended[(ALL, ALL)])
    labels = {key for found in (agreed, weeks, ended) for key in found if key[0] != ALL}
    groups = {
        dimension: sorted(
            (
                _row(label, agreed[(d, label)], weeks[(d, label)], ended[(d, label)])
                for d, label in labels
                if d == dimension
            ),
            key=bd.group_order(dimension),
        )
        for dimension in DIMENSIONS
    }
    return PlanFigures(all=everyone, groups=groups)
