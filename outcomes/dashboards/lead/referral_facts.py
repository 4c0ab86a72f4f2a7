"""The referral figures of a period from the copies the database keeps (ADR 021): counts by
activity from the month facts for the months wholly inside the period and from the narrow
copies for the days at its edges, and the medians (not additive) from the copies. PostgreSQL
only (the triggers); callers fall back to the referrals themselves elsewhere. Each figure
equals the reference computed from the referrals (tests/dashboards/test_referral_facts.py).
"""

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from outcomes.dashboards import db
from outcomes.dashboards.periods import Period
from outcomes.models import ReferralFact, ReferralMonthFact
from outcomes.models.referral_facts import MONTH_COUNTS


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


def counts_by_activity(service_id, period: Period) -> dict[int, dict[str, int]]:
    """{activity id: {count: n}} for the activity referrals sent in the period."""
    months = whole_months(period)
    edges: QuerySet[ReferralFact] | None = sent_in(service_id, period)
    facts = None
    if months is not None:
        first, after = months
        edges = None
        if period.start < first or after <= period.end:
            edges = ReferralFact.objects.filter(service_id=service_id).filter(
                Q(sent_on__gte=period.start, sent_on__lt=first)
                | Q(sent_on__gte=after, sent_on__lte=period.end)
            )
        facts = ReferralMonthFact.objects.filter(
            service_id=service_id, month__gte=first, month__lt=after
        )
    counted = {"referred": Count("pk")} | {
        key: Count("pk", filter=Q(**{key: True})) for key in MONTH_COUNTS[1:]
    }
    summed = {key: Sum(key) for key in MONTH_COUNTS}
    parts: list[QuerySet] = []
    if edges is not None:
        parts.append(edges.values("activity_id").annotate(**counted).order_by())
    if facts is not None:
        parts.append(facts.values("activity_id").annotate(**summed).order_by())
    found: dict[int, dict[str, int]] = {}
    for rows in parts:
        for row in rows:
            into = found.setdefault(row.pop("activity_id"), dict.fromkeys(MONTH_COUNTS, 0))
            for key in MONTH_COUNTS:
                into[key] += row[key]
    return found


def reply_medians(service_id, period: Period, *, by: str, labels=None) -> dict:
    """{label: median days to the provider's reply}, as selectors.reply_medians_raw."""
    replied = sent_in(service_id, period).filter(reply_days__isnull=False)
    if labels is not None:
        replied = replied.filter(**{f"{by}__in": labels})
    return dict(
        replied.values(by)
        .order_by()
        .annotate(median=db.Median("reply_days"))
        .values_list(by, "median")
    )


def median_days_to_first_session(service_id, period: Period) -> tuple[float | None, int]:
    figures = (
        sent_in(service_id, period)
        .filter(attended_on__isnull=False)
        .aggregate(median=db.Median("waited_days"), dated=Count("pk"))
    )
    return figures["median"], figures["dated"]


def first_sessions_in(service_id, period) -> QuerySet[ReferralFact]:
    """Activity referrals whose first session on the provider's register was in the period;
    `waited_days` from sending (the wait to first activity)."""
    return ReferralFact.objects.filter(
        service_id=service_id, attended_on__gte=period.start, attended_on__lte=period.end
    )
