"""Monthly trends: for episodes that ended in each month of the period, recovery, activity
uptake (of those referred or signposted during the episode) and paired-score completeness
(of those who finished treatment). Every month of the period has a row, empty or not."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from outcomes.dashboards.lead.measures.common import DatedPeriod, ended_in
from outcomes.dashboards.lead.measures.completeness import paired
from outcomes.models import Episode
from outcomes.stats import Rate
from talkingmoves.vocabulary.uptake import ActivityGroup


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    ended: int
    recovery: Rate
    uptake: Rate
    completeness: Rate


def months_of(period: DatedPeriod) -> list[date]:
    month, months = period.start.replace(day=1), []
    while month <= period.end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def monthly_trends(service_id, period: DatedPeriod) -> list[Month]:
    finished = Q(finished_treatment=True)
    offered = ~Q(activity_group=ActivityGroup.NOT_REFERRED)
    rows = (
        Episode.objects.filter(service_id=service_id)
        .filter(ended_in(period))
        .annotate(month=TruncMonth("ended_on"))
        .values("month")
        .annotate(
            ended=Count("pk"),
            n_recovered=Count("pk", filter=Q(recovered=True)),
            n_counted=Count("pk", filter=Q(recovered__isnull=False)),
            offered=Count("pk", filter=offered),
            took_up=Count("pk", filter=Q(activity_group=ActivityGroup.TOOK_UP)),
            finished=Count("pk", filter=finished),
            n_paired=Count("pk", filter=finished & paired()),
        )
        .order_by("month")
    )
    by_month = {_first_day(row["month"]): row for row in rows}
    empty = dict.fromkeys(("ended", "n_recovered", "n_counted", "offered", "took_up"), 0)
    empty.update(finished=0, n_paired=0)
    months = []
    for month in months_of(period):
        row = by_month.get(month, empty)
        months.append(
            Month(
                month=month,
                ended=row["ended"],
                recovery=Rate(row["n_recovered"], row["n_counted"]),
                uptake=Rate(row["took_up"], row["offered"]),
                completeness=Rate(row["n_paired"], row["finished"]),
            )
        )
    return months


def _first_day(value) -> date:
    """TruncMonth of a date field gives a date (a datetime on some backends)."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value
