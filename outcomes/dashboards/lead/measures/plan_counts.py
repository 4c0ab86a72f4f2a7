"""The plan figures (plans.py says what each counts) in one statement on PostgreSQL: the
service's people who have a plan in play, with their groups (the ORM's own SQL for them);
their plans any week of which can end in the period; for each plan, by index, its last week,
the day a newer plan replaced it and its answers; which of its weeks ended in the period,
worked out from the dates (a plan's weeks run from 1 to its last: plan_create makes them
so); and one weekly-minutes lookup for each plan that ended. Nothing reads every plan step
or answer ever recorded. The ORM queries in plans.py are the reference (and SQLite's way);
tests/dashboards/test_plan_figures.py holds the two equal.

At 100,000 service users, with a third of them given a plan over two years, the ORM's
correlated subqueries (several per plan week) took seconds (ADR 019)."""

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
                   (SELECT MAX(s.week) FROM {step} s WHERE s.plan_id = p.id) AS weeks,
                   (SELECT (MIN(n.sent_at) AT TIME ZONE %s)::date - p.starts_on FROM {plan} n
                    WHERE n.replaces_id = p.id AND n.sent_at IS NOT NULL) AS replaced_days
            FROM candidates p JOIN people ON people.id = p.service_user_id
            WHERE p.sent_at IS NOT NULL AND p.starts_on BETWEEN %s AND %s
        ),
        spans AS (
            -- Weeks lo to hi ended in the period; weeks up to cut ended before a newer
            -- plan was sent. A plan's weeks run from 1 to its last (plan_create).
            SELECT p.*, GREATEST(1, (%s - p.starts_on + 7) / 7) AS lo,
                   LEAST(p.weeks, (%s - p.starts_on + 1) / 7) AS hi,
                   COALESCE(FLOOR(p.replaced_days / 7.0)::integer, %s) AS cut
            FROM plans p WHERE p.weeks IS NOT NULL
        ),
        by_plan AS (
            SELECT s.*, s.cut < s.weeks AS replaced, a.last_answer,
                   GREATEST(0, s.hi - GREATEST(s.lo, s.cut + 1) + 1) AS n_after,
                   a.answered AS n_answered,
                   GREATEST(0, LEAST(s.hi, s.cut) - s.lo + 1) - a.answered AS n_unanswered
            FROM spans s CROSS JOIN LATERAL (
                SELECT COUNT(*) FILTER (WHERE c.week BETWEEN s.lo AND LEAST(s.hi, s.cut))
                           AS answered,
                       MAX(c.days_done * c.minutes_a_day) FILTER (WHERE c.week = s.weeks)
                           AS last_answer
                FROM {answer.db_table} c WHERE c.plan_id = s.id
            ) a
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
        *(timezone.get_current_timezone_name(), earliest, last, period.start, last, MAX_WEEKS),
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
