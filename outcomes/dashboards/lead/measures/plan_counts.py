"""The plan figures (plans.py says what each counts) in one pass on PostgreSQL: the service's
people and their groups once, the plans any week of which can end in the period, their weeks
joined to their answers and to the day a newer plan replaced them, and a weekly-minutes
measure looked up only for the plans that ended. The ORM queries in plans.py are the
reference (and SQLite's way); tests/dashboards/test_plan_figures.py checks the two agree.

At 100,000 service users, with one in three given a plan over two years, the ORM's
correlated subqueries (one per plan week, several times over) took seconds; this takes one
scan of each table."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import connections, router
from django.db.models import F
from django.utils import timezone

from outcomes.dashboards.lead.measures import breakdowns as bd
from outcomes.models import ActivityPlan, Episode, Measure, PlanCheckIn, PlanStep
from outcomes.plans.models import MAX_WEEKS
from referrals.models import ServiceUser

ALL = "All people with a plan"
DIMENSIONS = list(bd.DEMOGRAPHICS)
# Row kinds: each plan week, or ended plan, counted once.
AFTER_REPLACED, ANSWERED, UNANSWERED = "after_replaced", "answered", "unanswered"
REPLACED, NO_ANSWER, REACHED, NOT_REACHED = "replaced", "no_answer", "reached", "not_reached"
NO_START, NO_MEASURE, COUNTED = "no_start", "no_measure", "counted"
# What each part's counts are called (plans._row reads them by these names).
PARTS = {
    "agreed": ((), ("n_people", "n_drafts")),
    "weeks": (("kind",), ("n_weeks",)),
    "ended": (("goal", "measured"), ("n_plans", "n_change", "n_squares")),
}


def add_up(rows, values: tuple[str, ...]) -> dict[tuple[str, str], defaultdict]:
    """{(dimension, label): {(*kind, name): total}} and (ALL, ALL) for everyone, from grouped
    rows of every combination of the groups; `values` names the row's kind columns."""
    totals: dict[tuple[str, str], defaultdict] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        keys = [(ALL, ALL), *((d, bd.group_label(d, row[d])) for d in DIMENSIONS)]
        kind = tuple(row[name] for name in values)
        for key in keys:
            for name, number in row.items():
                if name.startswith("n_") and number:
                    totals[key][(*kind, name)] += number
    return totals


def _people(service_id, on: date) -> tuple[str, tuple]:
    """The service's people with their groups (columns g_<dimension>), as SQL."""
    groups = {f"g_{name}": value for name, value in bd.person_groups(on, "").items()}
    people = (
        ServiceUser.objects.filter(service_id=service_id)
        .annotate(**groups, g_step=F("step"))
        .values("id", *(f"g_{d}" for d in DIMENSIONS))
        .order_by()
    )
    return people.query.sql_with_params()


def counted(service_id, period, last: date) -> dict[str, dict]:
    """{part: add_up totals} for "agreed", "weeks" and "ended" (PARTS)."""
    people_sql, people_params = _people(service_id, period.end)
    plan, step, answer = ActivityPlan._meta.db_table, PlanStep._meta.db_table, PlanCheckIn._meta
    measure, episode = Measure._meta.db_table, Episode._meta.db_table
    starts_at, ends_before = (
        timezone.make_aware(datetime.combine(day, time.min))
        for day in (period.start, period.end + timedelta(days=1))
    )
    dims = ", ".join(f"g_{d}" for d in DIMENSIONS)
    # Table names from the models; values are parameters.
    sql = f"""
        WITH candidates AS (
            SELECT p.* FROM {plan} p
            WHERE (p.sent_at IS NOT NULL AND p.starts_on BETWEEN %s AND %s)
               OR (p.sent_at >= %s AND p.sent_at < %s)
               OR (p.status = %s AND p.created_at >= %s AND p.created_at < %s)
        ),
        people AS MATERIALIZED (
            SELECT * FROM ({people_sql}) everyone
            WHERE everyone.id IN (SELECT service_user_id FROM candidates)
        ),
        plans AS MATERIALIZED (
            SELECT p.id, p.service_user_id, p.starts_on, p.target_minutes, p.start_minutes,
                   (SELECT MIN(n.sent_at) FROM {plan} n
                    WHERE n.replaces_id = p.id AND n.sent_at IS NOT NULL) AS replaced_at
            FROM candidates p JOIN people ON people.id = p.service_user_id
            WHERE p.sent_at IS NOT NULL AND p.starts_on BETWEEN %s AND %s
        ),
        weeks AS (
            SELECT p.*, s.week, p.starts_on + 7 * s.week - 1 AS last_day,
                   COALESCE((p.replaced_at AT TIME ZONE %s)::date - p.starts_on < 7 * s.week,
                            FALSE) AS is_after,
                   c.days_done * c.minutes_a_day AS answer
            FROM plans p JOIN {step} s ON s.plan_id = p.id
            LEFT JOIN {answer.db_table} c ON c.plan_id = p.id AND c.week = s.week
        ),
        by_plan AS (
            SELECT id, service_user_id, starts_on, target_minutes, start_minutes,
                   MAX(week) AS weeks,
                   (ARRAY_AGG(answer ORDER BY week DESC))[1] AS last_answer,
                   (ARRAY_AGG(is_after ORDER BY week DESC))[1] AS replaced,
                   COUNT(*) FILTER (WHERE in_period AND is_after) AS n_after,
                   COUNT(*) FILTER (WHERE in_period AND NOT is_after AND answer IS NOT NULL)
                       AS n_answered,
                   COUNT(*) FILTER (WHERE in_period AND NOT is_after AND answer IS NULL)
                       AS n_unanswered
            FROM (SELECT w.*, w.last_day BETWEEN %s AND %s AS in_period FROM weeks w) w
            GROUP BY id, service_user_id, starts_on, target_minutes, start_minutes
        ),
        ended AS (
            SELECT e.*, m.total - e.start_minutes AS change FROM by_plan e
            LEFT JOIN LATERAL (
                SELECT mm.total::integer AS total FROM {measure} mm
                JOIN {episode} ep ON ep.id = mm.episode_id
                WHERE ep.service_user_id = e.service_user_id AND mm.kind = %s
                  AND mm.taken_on > e.starts_on AND mm.taken_on < e.starts_on + 7 * e.weeks
                  AND NOT e.replaced AND e.start_minutes IS NOT NULL
                ORDER BY mm.taken_on DESC, mm.recorded_at DESC, mm.id DESC LIMIT 1
            ) m ON TRUE
            WHERE e.starts_on + 7 * e.weeks - 1 BETWEEN %s AND %s
        )
        SELECT 'agreed', {dims}, NULL::text, NULL::text,
               COUNT(DISTINCT p.service_user_id) FILTER (WHERE p.sent_at >= %s AND p.sent_at < %s),
               COUNT(*) FILTER (WHERE p.status = %s AND p.created_at >= %s AND p.created_at < %s),
               NULL::bigint
        FROM candidates p JOIN people ON people.id = p.service_user_id
        GROUP BY {dims}
        UNION ALL
        SELECT 'weeks', {dims}, NULL::text, NULL::text,
               SUM(w.n_after)::bigint, SUM(w.n_answered)::bigint, SUM(w.n_unanswered)::bigint
        FROM by_plan w JOIN people ON people.id = w.service_user_id
        GROUP BY {dims}
        UNION ALL
        SELECT 'ended', {dims},
               CASE WHEN e.replaced THEN %s WHEN e.last_answer IS NULL THEN %s
                    WHEN e.last_answer >= e.target_minutes THEN %s ELSE %s END,
               CASE WHEN e.start_minutes IS NULL THEN %s WHEN e.change IS NULL THEN %s
                    ELSE %s END,
               COUNT(*), SUM(e.change)::bigint, SUM(e.change * e.change)::bigint
        FROM ended e JOIN people ON people.id = e.service_user_id
        GROUP BY {dims}, 7, 8
    """  # noqa: S608
    draft = ActivityPlan.Status.DRAFT
    earliest = period.start - timedelta(days=7 * MAX_WEEKS - 1)
    sent, drafts = [starts_at, ends_before], [draft, starts_at, ends_before]
    params = [
        *(earliest, last, *sent, *drafts),
        *people_params,
        *(earliest, last, timezone.get_current_timezone_name(), period.start, last),
        *(Measure.Kind.ACTIVITY_MINUTES, period.start, last, *sent, *drafts),
        *(REPLACED, NO_ANSWER, REACHED, NOT_REACHED, NO_START, NO_MEASURE, COUNTED),
    ]
    found: dict[str, list[dict]] = {part: [] for part in PARTS}
    with connections[router.db_for_read(ActivityPlan)].cursor() as cursor:
        cursor.execute(sql, params)
        for part, *dimensions, kind, other, a, b, c in cursor.fetchall():
            groups = dict(zip(DIMENSIONS, dimensions, strict=True))
            if part == "weeks":  # one row for each kind of week
                found[part] += [
                    {**groups, "kind": week_kind, "n_weeks": n}
                    for week_kind, n in ((AFTER_REPLACED, a), (ANSWERED, b), (UNANSWERED, c))
                ]
                continue
            kinds, names = PARTS[part]
            row = {**groups, **dict(zip(kinds, (kind, other), strict=False))}
            row.update(zip(names, (a, b, c), strict=False))
            found[part].append(row)
    return {part: add_up(rows, PARTS[part][0]) for part, rows in found.items()}
