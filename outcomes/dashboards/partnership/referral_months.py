"""The referrals an area's providers received, counted by month: from the counts by (service,
month, activity) the database keeps (ADR 021) for whole months on PostgreSQL, from the
referrals otherwise. The two give the same figures (tests/dashboards/test_partnership.py);
the kept counts spare reading each referral, which at a large area was most of the time its
figures took to work out (docs/performance.md)."""

from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from outcomes.dashboards import db
from outcomes.dashboards.periods import Period
from outcomes.models import ReferralMonthFact
from referrals.models import Referral


def counts_by_month(partnership_id, period: Period) -> dict[date, dict]:
    """{first day of a month: {"received", "accepted", "started"}}, months with none left out."""
    if db.has_median() and whole_months(period):
        return {row["month"]: row for row in from_month_facts(partnership_id, period)}
    return {_month_start(row["month"]): row for row in from_referrals(partnership_id, period)}


def from_month_facts(partnership_id, period: Period):
    """The month facts of the area's activities (the index referral_month_fact_activity),
    every service's, added up by month."""
    return (
        ReferralMonthFact.objects.filter(
            month__gte=period.start,
            month__lte=period.end,
            activity__provider__partnership_id=partnership_id,
        )
        .values("month")
        .annotate(received=Sum("referred"), accepted=Sum("accepted"), started=Sum("started"))
        .order_by()
    )


def from_referrals(partnership_id, period: Period):
    return (
        Referral.objects.filter(
            kind=Referral.Kind.REFER, activity__provider__partnership_id=partnership_id
        )
        .filter(db.sent_in(period))
        .annotate(month=TruncMonth("sent_at"))
        .values("month")
        .annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=db.accepted()),
            started=Count("pk", filter=db.attended_once()),
        )
        .order_by()
    )


def whole_months(period: Period) -> bool:
    return period.start.day == 1 and (period.end + timedelta(days=1)).day == 1


def _month_start(value) -> date:
    return value.date().replace(day=1) if hasattr(value, "date") else value.replace(day=1)
