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
from providers.models import Activity, Provider
from referrals.models import Referral
from talkingmoves.core.expressions import AnyOf


def counts_by_month(partnership_id, period: Period) -> dict[date, dict]:
    """{first day of a month: {"received", "accepted", "started"}}, months with none left out."""
    if db.has_median() and whole_months(period):
        return {row["month"]: row for row in from_month_facts(partnership_id, period)}
    return {_month_start(row["month"]): row for row in from_referrals(partnership_id, period)}


def from_month_facts(partnership_id, period: Period):
    """The month facts of the area's activities (read by the index on activity and month),
    every service's, added up by month."""
    return (
        ReferralMonthFact.objects.filter(
            AnyOf("activity_id", area_activity_ids(partnership_id)),
            month__gte=period.start,
            month__lte=period.end,
        )
        .values("month")
        .annotate(received=Sum("referred"), accepted=Sum("accepted"), started=Sum("started"))
        .order_by()
    )


def area_activity_ids(partnership_id) -> list[int]:
    """Every activity of the area's providers, archived ones too (a referral counts where it
    was sent), found by the providers' ids read first. Joined instead, PostgreSQL expects
    five times the activities and reads every month fact (44 ms against 1 at 110,000
    activities, docs/performance.md)."""
    providers = Provider.objects.filter(partnership_id=partnership_id).values_list("pk", flat=True)
    activities = Activity.objects.filter(AnyOf("provider_id", providers))
    return list(activities.values_list("pk", flat=True))


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
