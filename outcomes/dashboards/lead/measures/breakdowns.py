"""Recovery by step of care, provider, activity type and demographic group, for episodes
that ended in the period. A rate's denominator is the national one (finished treatment, a
case at the start, paired scores): rules.assess leaves `recovered` None for the rest.

By provider and by activity type, an episode counts under each provider (or type) where the
person attended a session on the provider's register between the episode's start and end,
so those rows can add up to more than the episodes that took up activity."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When

from outcomes.dashboards import db
from outcomes.dashboards.lead import equity as eq
from outcomes.dashboards.lead.measures.common import DatedPeriod, ended_in
from outcomes.models import EndedEpisodeFact, Episode, EpisodeActivity
from outcomes.stats import Rate
from providers.models import Activity, ActivityType, Provider
from referrals.models import Attendance, Gender, ServiceUser

PERSON = "service_user__"
DEMOGRAPHICS = {
    "step": "Step of care",
    "age_band": "Age",
    "gender": "Gender",
    "ethnic_group": "Ethnic group",
    "disability": "Disability or long-term condition",
}
BY_PROVIDER = "provider"
BY_ACTIVITY_TYPE = "activity_type"
ACTIVITY_DIMENSIONS = {BY_PROVIDER: "Provider", BY_ACTIVITY_TYPE: "Activity type"}
ATTENDED_ACTIVITY = {
    BY_PROVIDER: f"{PERSON}referrals__activity__provider__name",
    BY_ACTIVITY_TYPE: f"{PERSON}referrals__activity__activity_type__label",
}


@dataclass(frozen=True)
class RecoveryRow:
    label: str
    ended: int
    recovery: Rate


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(on: date, person: str = PERSON):
    """Age on the last day of the period, as the equity tables band it."""
    born = f"{person}date_of_birth"
    whens = [When(**{f"{born}__isnull": True}, then=Value(eq.NOT_RECORDED))]
    for upper, label in eq.AGE_BANDS:
        whens.append(When(**{f"{born}__gt": _years_before(on, upper)}, then=Value(label)))
    return Case(*whens, default=Value(eq.OLDEST_BAND), output_field=CharField())


def _ethnic_group(person: str = PERSON):
    whens = [
        When(**{f"{person}ethnic_category__in": codes}, then=Value(label))
        for label, codes in eq.ETHNIC_GROUPS.items()
    ]
    return Case(*whens, default=Value(eq.NOT_RECORDED), output_field=CharField())


def person_groups(on: date, person: str = PERSON) -> dict:
    """The person's groups as annotations (all but step of care) on any rows that reach the
    person through `person` ("service_user__" from an episode or a plan): age on `on`,
    gender, ethnic group, disability or long-term condition."""
    return {
        "age_band": _age_band(on, person),
        "gender": F(f"{person}gender"),
        "ethnic_group": _ethnic_group(person),
        "disability": Case(
            When(**{f"{person}has_disability_or_ltc": True}, then=Value(1)),
            When(**{f"{person}has_disability_or_ltc": False}, then=Value(0)),
            default=Value(-1),
            output_field=IntegerField(),
        ),
    }


def group_label(dimension: str, value) -> str:
    """The label a group's stored value is shown with."""
    if dimension == "gender":
        return dict(Gender.choices).get(value, eq.NOT_RECORDED)
    if dimension == "disability":
        return {1: "Yes", 0: "No"}.get(value, eq.NOT_RECORDED)
    if dimension == "step":
        return ServiceUser.Step(value).label if value else eq.NOT_RECORDED
    return value


def _recovery_counts():
    return {
        "ended": Count("pk", distinct=True),
        "n_recovered": Count("pk", filter=Q(recovered=True), distinct=True),
        "n_counted": Count("pk", filter=Q(recovered__isnull=False), distinct=True),
    }


def recovery_by_group_raw(service_id, period: DatedPeriod) -> dict[str, list[RecoveryRow]]:
    """The period's ended episodes joined to their people: one grouped query over every
    combination of the groups; the reference `recovery_by_group` (facts) is tested
    against."""
    combos = (
        Episode.objects.filter(service_id=service_id)
        .filter(ended_in(period))
        .annotate(**person_groups(period.end))
        .values(*DEMOGRAPHICS)
        .annotate(**_recovery_counts())
        .order_by()
    )
    return _by_group(combos)


def recovery_by_group(service_id, period: DatedPeriod) -> dict[str, list[RecoveryRow]]:
    """recovery_by_group_raw from the ended episodes' facts (ADR 022), which carry their
    person's date of birth (the age band is the period end's) and groups: the period's rows
    read from one covering index, no join to the service's people."""
    if not db.has_median():  # SQLite, the zero-setup default: the facts are PostgreSQL's
        return recovery_by_group_raw(service_id, period)
    combos = (
        EndedEpisodeFact.objects.filter(service_id=service_id)
        .filter(ended_in(period))
        .annotate(**eq.bands(period.end))
        .values(*DEMOGRAPHICS)
        .annotate(
            ended=Count("pk"),
            n_recovered=Count("pk", filter=Q(recovered=True)),
            n_counted=Count("pk", filter=Q(recovered__isnull=False)),
        )
        .order_by()
    )
    return _by_group(combos)


def _by_group(combos) -> dict[str, list[RecoveryRow]]:
    """Python adds up the combinations (a few hundred at most) for each group, as the
    equity tables do."""
    totals: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in combos:
        for dimension in DEMOGRAPHICS:
            counts = totals[(dimension, group_label(dimension, row[dimension]))]
            counts[0] += row["ended"]
            counts[1] += row["n_recovered"]
            counts[2] += row["n_counted"]
    return {
        dimension: sorted(
            (
                RecoveryRow(label=label, ended=c[0], recovery=Rate(c[1], c[2]))
                for (d, label), c in totals.items()
                if d == dimension
            ),
            key=group_order(dimension),
        )
        for dimension in DEMOGRAPHICS
    }


def _attended_during() -> Q:
    """A session on the provider's register between the episode's start and its end."""
    sessions = f"{PERSON}referrals__attendances__"
    return Q(
        **{
            f"{sessions}status": Attendance.Status.ATTENDED,
            f"{sessions}source": Attendance.SOURCE_PROVIDER,
            f"{sessions}session_date__gte": F("referral_received_on"),
            f"{sessions}session_date__lte": F("ended_on"),
        }
    )


def recovery_by_activity(service_id, period: DatedPeriod, *, by: str) -> list[RecoveryRow]:
    """Episodes by the provider (or activity type) of each referral with a session on the
    provider's register during the episode: one dimension, the reference for
    recovery_by_activities."""
    rows = (
        Episode.objects.filter(service_id=service_id)
        .filter(ended_in(period))
        .filter(_attended_during())
        .values(label=F(ATTENDED_ACTIVITY[by]))
        .annotate(**_recovery_counts())
        .order_by("-ended", "label")
    )
    return [
        RecoveryRow(
            label=row["label"],
            ended=row["ended"],
            recovery=Rate(row["n_recovered"], row["n_counted"]),
        )
        for row in rows
    ]


def recovery_by_activities(service_id, period: DatedPeriod) -> dict[str, list[RecoveryRow]]:
    """recovery_by_activity for every dimension (provider and activity type) from the
    (episode, activity) pairs each ended episode keeps (EpisodeActivity, ADR 020), read
    from one index for the period and counted by provider and by activity type together
    (GROUPING SETS), each episode once under each label. Equal to recovery_by_activity."""
    if not db.has_median():  # SQLite, the zero-setup default: one query per dimension
        return {by: recovery_by_activity(service_id, period, by=by) for by in ACTIVITY_DIMENSIONS}
    pairs, activity, provider = EpisodeActivity._meta, Activity._meta, Provider._meta
    kind = ActivityType._meta
    # Table names from the models; values are parameters.
    sql = f"""
        SELECT GROUPING(p.name), p.name, t.label,
               COUNT(DISTINCT e.episode_id),
               COUNT(DISTINCT e.episode_id) FILTER (WHERE e.recovered),
               COUNT(DISTINCT e.episode_id) FILTER (WHERE e.recovered IS NOT NULL)
        FROM {pairs.db_table} e
        JOIN {activity.db_table} a ON a.id = e.activity_id
        JOIN {provider.db_table} p ON p.{provider.pk.column} = a.provider_id
        JOIN {kind.db_table} t ON t.{kind.pk.column} = a.activity_type_id
        WHERE e.service_id = %s AND e.ended_on >= %s AND e.ended_on <= %s
        GROUP BY GROUPING SETS ((p.name), (t.label))
    """  # noqa: S608
    found: dict[str, list[RecoveryRow]] = {by: [] for by in ACTIVITY_DIMENSIONS}
    with connections[router.db_for_read(EpisodeActivity)].cursor() as cursor:
        cursor.execute(sql, [service_id, period.start, period.end])
        for by_type, provider_name, type_label, ended, recovered, counted in cursor.fetchall():
            by, label = (BY_ACTIVITY_TYPE, type_label) if by_type else (BY_PROVIDER, provider_name)
            found[by].append(RecoveryRow(label, ended, Rate(recovered, counted)))
    return {by: sorted(rows, key=lambda row: (-row.ended, row.label)) for by, rows in found.items()}


def group_order(dimension: str):
    """Bands in their natural order, "not recorded" last."""
    orders = {
        "age_band": [label for _, label in eq.AGE_BANDS] + [eq.OLDEST_BAND],
        "ethnic_group": list(eq.ETHNIC_GROUPS),
        "gender": [label for _, label in Gender.choices],
        "disability": ["Yes", "No"],
        "step": [label for _, label in ServiceUser.Step.choices],
    }
    order = orders[dimension]
    return lambda row: (order.index(row.label) if row.label in order else len(order), row.label)
