"""Who is referred and who takes activity up, against the caseload's own make-up: by age
band, gender, ethnic group, disability or long-term condition, and step of care."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    Value,
    When,
)

from outcomes.dashboards import db
from outcomes.dashboards.periods import Period
from outcomes.models import Episode, PersonCaseloadFact
from outcomes.stats import Rate
from referrals.models import Gender, Referral, ServiceUser

S = Referral.Status


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
    took_up: int  # a session on the provider's register
    self_reported: int  # the person's word only, and not in took_up
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
    self_reported: int
    dimensions: dict[str, list[EquityRow]]  # keyed by DIMENSIONS


def _episodes_in(service_id, period: Period):
    """Episodes open at any time during the period."""
    return Episode.objects.filter(
        service_id=service_id, referral_received_on__lte=period.end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))


def has_open_episode(service_id, period: Period) -> bool:
    return _episodes_in(service_id, period).exists()


def bands(on: date) -> dict:
    """The groups counted by, as annotations of any model with the person's date of birth,
    ethnic category and disability: a service user, or a fact row that copies them."""
    return {
        "age_band": _age_band(on),
        "ethnic_group": _ethnic_group(),
        "disability": Case(
            When(has_disability_or_ltc=True, then=Value(1)),
            When(has_disability_or_ltc=False, then=Value(0)),
            default=Value(-1),
            output_field=IntegerField(),
        ),
    }


def equity_raw(service_id, period: Period) -> Equity:
    """Among the caseload (everyone with an episode open during the period, or a referral in
    it): who is referred and who takes up, by group, beside the caseload's own make-up.
    One grouped query over every combination of the five dimensions; Python then adds up
    the combinations (bounded: a few thousand at most) for each dimension. Three "IN"
    sets over the period's referrals: the reference `equity` (from the facts) is tested
    against."""
    in_period = Referral.objects.filter(service_id=service_id).filter(db.sent_in(period))
    referred_in_period = Q(pk__in=in_period.values("service_user_id"))
    took_up_in_period = Q(pk__in=in_period.filter(db.attended_once()).values("service_user_id"))
    said_so_in_period = Q(
        pk__in=in_period.filter(db.self_reported_only()).values("service_user_id")
    )
    episode_in_period = _episodes_in(service_id, period).values("service_user_id")
    combos = (
        ServiceUser.objects.filter(service_id=service_id)
        .filter(referred_in_period | Q(pk__in=episode_in_period))
        .annotate(**bands(period.end))
        .values(*DIMENSIONS)
        .annotate(
            n=Count("pk"),
            n_referred=Count("pk", filter=referred_in_period),
            n_took_up=Count("pk", filter=took_up_in_period),
            # Someone with a session on the register is in took up, not here as well.
            n_self_reported=Count("pk", filter=said_so_in_period & ~took_up_in_period),
        )
        .order_by()
    )
    return _equity(combos)


def equity(service_id, period: Period) -> Equity:
    """equity_raw from the caseload facts (ADR 022): one row per person of the service with
    the days they were referred, took up, said so and had an episode open, and their groups,
    so any period is one scan of those rows testing each set of days against the period's
    (`days_in`), with no referral or episode read and no join."""
    if not db.has_median():  # SQLite, the zero-setup default: the facts are PostgreSQL's
        return equity_raw(service_id, period)
    referred = Q(days_in("referred", period))
    took_up = Q(days_in("took_up", period))
    said_so = Q(days_in("said_so", period))
    combos = (
        PersonCaseloadFact.objects.filter(service_id=service_id)
        .filter(referred | Q(days_in("episodes", period)))
        .annotate(**bands(period.end))
        .values(*DIMENSIONS)
        .annotate(
            n=Count("pk"),
            n_referred=Count("pk", filter=referred),
            n_took_up=Count("pk", filter=took_up),
            n_self_reported=Count("pk", filter=said_so & ~took_up),
        )
        .order_by()
    )
    return _equity(combos)


def days_in(name: str, period: Period) -> Case:
    """A person's set of days `name` (PersonCaseloadFact) shares a day with the period.
    Decided by its first and last day (each a day of the set) unless the period lies
    strictly inside them; only then by PostgreSQL's `&&` on the set itself, which costs
    far more than comparing dates."""
    first, last = f"{name}_first", f"{name}_last"
    start, end = period.start, period.end
    return Case(
        When(
            Q(**{f"{first}__isnull": True})  # an empty set
            | Q(**{f"{first}__gt": end})
            | Q(**{f"{last}__lt": start}),  # (a None last day, still open, is not)
            then=Value(False),
        ),
        When(Q(**{f"{first}__gte": start}) | Q(**{f"{last}__lte": end}), then=Value(True)),
        default=db.Overlaps(F(name), db.period_days(period)),
        output_field=BooleanField(),
    )


def _equity(combos) -> Equity:
    """The tables from the counts of each combination of the five dimensions."""
    labels = _label_maps()
    disability = {1: True, 0: False, -1: None}
    totals: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
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
            counts[3] += row["n_self_reported"]
    caseload = sum(c[0] for (d, _), c in totals.items() if d == "step")
    referred = sum(c[1] for (d, _), c in totals.items() if d == "step")
    took_up = sum(c[2] for (d, _), c in totals.items() if d == "step")
    self_reported = sum(c[3] for (d, _), c in totals.items() if d == "step")
    dimensions = {}
    for dimension in DIMENSIONS:
        rows = [
            EquityRow(
                label=label,
                caseload=counts[0],
                referred=counts[1],
                took_up=counts[2],
                self_reported=counts[3],
                caseload_share=counts[0] / caseload if caseload else None,
                referred_share=counts[1] / referred if referred else None,
                took_up_share=counts[2] / took_up if took_up else None,
            )
            for (d, label), counts in totals.items()
            if d == dimension
        ]
        dimensions[dimension] = sorted(rows, key=_equity_order(dimension))
    return Equity(
        caseload=caseload,
        referred=referred,
        took_up=took_up,
        self_reported=self_reported,
        dimensions=dimensions,
    )


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
