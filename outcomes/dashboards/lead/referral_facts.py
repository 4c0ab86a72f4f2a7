"""The referral figures of a period from the copies the database keeps (ADR 021): counts by
activity from the month facts for the months wholly inside the period and from the narrow
copies for the days at its edges, and the medians (not additive) from the copies. PostgreSQL
only (the triggers); callers fall back to the referrals themselves elsewhere. Each figure
equals the reference computed from the referrals (tests/dashboards/test_referral_facts.py).
"""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, QuerySet

from outcomes.dashboards.lead import wait_facts
from outcomes.dashboards.periods import Period
from outcomes.models import ReferralFact
from outcomes.models.referral_facts import MONTH_COUNTS

# The labels the referral tables group by (selectors.BY_PROVIDER, BY_ACTIVITY_TYPE).
LABELS = ("activity__provider__name", "activity__activity_type__label")


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def whole_months(period: Period) -> tuple[date, date] | None:
    """(first month, the first day after the last) of the months wholly inside the period,
    or None when there are none."""
    first = period.start if period.start.day == 1 else _first_of_next_month(period.start)
    after = period.end + timedelta(days=1)
    end = after if after.day == 1 else after.replace(day=1)
    return (first, end) if first < end else None


def sent_in(service_id, period: Period) -> QuerySet[ReferralFact]:
    return ReferralFact.objects.filter(
        service_id=service_id, sent_on__gte=period.start, sent_on__lte=period.end
    )


COUNTS_SQL = """
SELECT c.activity_id, p.name, t.label, {totals}
FROM (
  SELECT activity_id, {sums} FROM (
    SELECT activity_id, {months} FROM outcomes_referralmonthfact
      WHERE service_id = %(service)s AND month >= %(first)s AND month < %(after)s
    UNION ALL
    SELECT activity_id, {copies} FROM outcomes_referralfact
      WHERE service_id = %(service)s AND sent_on >= %(start)s AND sent_on < %(first)s
    UNION ALL
    SELECT activity_id, {copies} FROM outcomes_referralfact
      WHERE service_id = %(service)s AND sent_on >= %(after)s AND sent_on <= %(end)s
  ) parts GROUP BY activity_id
) c
JOIN providers_activity a ON a.id = c.activity_id
JOIN providers_provider p ON p.id = a.provider_id
JOIN providers_activitytype t ON t.identifier = a.activity_type_id
""".format(  # noqa: S608 (column names from MONTH_COUNTS, values as parameters)
    totals=", ".join(f"c.{key}" for key in MONTH_COUNTS),
    sums=", ".join(f"SUM({key})::bigint AS {key}" for key in MONTH_COUNTS),
    months=", ".join(MONTH_COUNTS),
    copies="1, " + ", ".join(f"{key}::int" for key in MONTH_COUNTS[1:]),
)


def counts_by_activity(service_id, period: Period) -> tuple[dict, dict]:
    """({activity id: {count: n}}, {column: {activity id: label}}) for the activity
    referrals sent in the period, in one query: the counts by month for the months wholly
    inside it, the copies for the days at its edges, added up by activity before the
    activities are joined for their provider's name and their type's label (`LABELS`)."""
    months = whole_months(period)
    # No whole month: every day of the period from the copies, none from the months.
    first, after = months or (period.end + timedelta(days=1), period.end + timedelta(days=1))
    params = {
        "service": service_id,
        "start": period.start,
        "end": period.end,
        "first": first,
        "after": after,
    }
    found: dict[int, dict[str, int]] = {}
    labels: dict[str, dict[int, str]] = {column: {} for column in LABELS}
    with connection.cursor() as cursor:
        cursor.execute(COUNTS_SQL, params)
        for activity_id, provider, activity_type, *counts in cursor.fetchall():
            found[activity_id] = dict(zip(MONTH_COUNTS, counts, strict=True))
            labels[LABELS[0]][activity_id] = provider
            labels[LABELS[1]][activity_id] = activity_type
    return found, labels


def median_of_counts(counts) -> float | None:
    """PostgreSQL's percentile_cont(0.5) of a multiset given as (value, how many) pairs, to
    the bit: the rows at floor and ceil of half of (n - 1), interpolated as float8_lerp does.
    The database counts each distinct value with a hash (no sort of every row by group)."""
    ordered = sorted((value, n) for value, n in counts if value is not None)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    position = 0.5 * (total - 1)
    first_row, proportion = int(position), position - int(position)
    wanted = [first_row] if not proportion else [first_row, first_row + 1]
    found, seen = [], 0
    for value, n in ordered:
        while wanted and wanted[0] < seen + n:
            found.append(float(value))
            wanted.pop(0)
        seen += n
    if len(found) == 1:
        return found[0]
    low, high = found
    return low + (high - low) * proportion


# The reply times of the period counted by (activity, value) first, so only those counts
# (not every reply) are joined to the activities for their labels.
REPLIES_SQL = """
SELECT {label}, r.reply_days, SUM(r.n)::bigint
FROM (
  SELECT activity_id, reply_days, COUNT(*) AS n FROM outcomes_referralfact
  WHERE service_id = %(service)s AND sent_on >= %(start)s AND sent_on <= %(end)s
    AND reply_days IS NOT NULL {only}
  GROUP BY activity_id, reply_days
) r
JOIN providers_activity a ON a.id = r.activity_id
JOIN providers_provider p ON p.id = a.provider_id
JOIN providers_activitytype t ON t.identifier = a.activity_type_id
WHERE %(every)s OR {label} = ANY(%(labels)s)
GROUP BY 1, 2
"""
# The shown rows' activities only (the provider table's first rows): read through the
# (service, activity, sent_on) index, not every reply of the period.
ONLY_ACTIVITIES = "AND activity_id = ANY(%(activities)s)"
LABEL_COLUMNS = {LABELS[0]: "p.name", LABELS[1]: "t.label"}


def reply_medians(service_id, period: Period, *, by: str, labels=None, activities=None) -> dict:
    """{label: median days to the provider's reply}, as selectors.reply_medians_raw; with
    `activities`, only the replies of those activities are read (every activity of each
    label wanted, sent to in the period: ReferralCounts.labels has them)."""
    params = {
        "service": service_id,
        "start": period.start,
        "end": period.end,
        "every": labels is None,
        "labels": list(labels or []),
        "activities": list(activities or []),
    }
    only = ONLY_ACTIVITIES if activities is not None else ""
    grouped: dict[str, list] = {}
    with connection.cursor() as cursor:
        cursor.execute(REPLIES_SQL.format(label=LABEL_COLUMNS[by], only=only), params)
        for label, days, n in cursor.fetchall():
            grouped.setdefault(label, []).append((days, n))
    return {label: median_of_counts(counts) for label, counts in grouped.items()}


def waits_of(copies: QuerySet[ReferralFact]) -> list[tuple[int, int]]:
    """(days waited, how many) of the copies with a first session on the register."""
    return list(
        copies.filter(attended_on__isnull=False)
        .values_list("waited_days")
        .annotate(n=Count("pk"))
        .order_by()
    )


def median_days_to_first_session(service_id, period: Period) -> tuple[float | None, int]:
    """From the waits kept by day and length (ADR 023), by the day each referral was sent."""
    counts = wait_facts.wait_counts(service_id, wait_facts.Kind.SENT, period)
    return median_of_counts(counts), sum(n for _, n in counts)


def median_days_to_first_session_from_copies(service_id, period: Period) -> tuple:
    counts = waits_of(sent_in(service_id, period))
    return median_of_counts(counts), sum(n for _, n in counts)


def first_sessions_in(service_id, period) -> QuerySet[ReferralFact]:
    """Activity referrals whose first session on the provider's register was in the period;
    `waited_days` from sending (the wait to first activity)."""
    return ReferralFact.objects.filter(
        service_id=service_id, attended_on__gte=period.start, attended_on__lte=period.end
    )
