"""Database pieces the dashboard selectors share: a PostgreSQL median with a portable fallback,
day differences, and the referral conditions (referred, accepted, started) used everywhere."""

import statistics
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, connections, transaction
from django.db.models import (
    Aggregate,
    BooleanField,
    DurationField,
    ExpressionWrapper,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    Q,
)
from django.db.models.expressions import RawSQL

from outcomes.dashboards.periods import Period
from referrals.models import Referral
from talkingmoves.core.db_router import reporting_reads

S = Referral.Status


def has_median() -> bool:
    """PostgreSQL computes medians in the query; elsewhere (SQLite) they are taken in Python."""
    return connection.vendor == "postgresql"


class Median(Aggregate):
    """percentile_cont(0.5): the median, interpolated, as PostgreSQL defines it."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class EpochDays(Func):
    """A PostgreSQL interval as a number of days (fractional)."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)"
    output_field = FloatField()


class DateDifference(Func):
    """later - earlier for two dates, as whole days (PostgreSQL date arithmetic)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class Overlaps(Func):
    """PostgreSQL: a set of days (a `datemultirange` column of the caseload facts, ADR 022)
    shares at least one day with `period_days`."""

    arg_joiner = " && "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def period_days(period) -> RawSQL:
    """The period's days, both ends included, as a PostgreSQL `daterange`."""
    return RawSQL("daterange(%s, %s, '[]')", (period.start, period.end), output_field=Field())


def response_time():
    """Time from sending a referral to the provider's answer."""
    return ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())


def response_days():
    return EpochDays(response_time())


def python_medians(rows) -> dict:
    """{key: median} from (key, value) pairs, values being numbers or timedeltas (in days)."""
    grouped = defaultdict(list)
    for key, value in rows:
        if value is None:
            continue
        if hasattr(value, "total_seconds"):
            value = value.total_seconds() / 86400
        grouped[key].append(value)
    return {key: statistics.median(values) for key, values in grouped.items()}


# Referral conditions, from the milestone columns the referral services keep (accepted_at,
# first_attended_on, provider_attended_on): no reading of the event history or attendance
# per referral.


def sent_in(period: Period, prefix: str = "") -> Q:
    """A referral sent, or a signposting recorded, in the period (drafts never count)."""
    p = prefix
    return Q(
        **{
            f"{p}kind": Referral.Kind.REFER,
            f"{p}sent_at__gte": period.starts_at,
            f"{p}sent_at__lt": period.ends_before,
        }
    ) | Q(
        **{
            f"{p}kind": Referral.Kind.SIGNPOST,
            f"{p}created_at__gte": period.starts_at,
            f"{p}created_at__lt": period.ends_before,
        }
    )


def ever_sent() -> Q:
    return Q(kind=Referral.Kind.SIGNPOST) | Q(sent_at__isnull=False)


def accepted() -> Q:
    return Q(accepted_at__isnull=False)


def attended_once() -> Q:
    """Took up: at least one session on the provider's register. The person's own word
    ("I went" through a message link, or signposting marked taken up) is not uptake
    (issue 12): that is `self_reported_only`, shown as a group of its own."""
    return Q(provider_attended_on__isnull=False)


def self_reported_only() -> Q:
    """Attended in the person's own word only: a self-reported session, a status moved on by
    their answer, or signposting marked taken up, with nothing on the provider's register."""
    said_so = Q(first_attended_on__isnull=False) | Q(
        status__in=[S.ATTENDING, S.COMPLETED, S.TAKEN_UP]
    )
    return Q(provider_attended_on__isnull=True) & said_so


ANALYTICS_WORK_MEM = "64MB"


@contextmanager
def analytics():
    """The dashboard's queries: on the read replica when there is one
    (talkingmoves/core/db_router.py), with settings for their transaction only (PostgreSQL):
    no JIT compiler, which spends longer compiling these aggregates (hundreds of
    milliseconds each) than they take to run; enough working memory to hash the
    "IN (subquery)" sets once instead of rescanning them for every row; and no parallel
    workers, each of which would build those same hashes again."""
    with reporting_reads() as alias:
        reads = connections[alias]
        if reads.vendor != "postgresql":
            yield
            return
        with transaction.atomic(using=alias), reads.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"SET LOCAL work_mem = '{ANALYTICS_WORK_MEM}'")
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            yield
