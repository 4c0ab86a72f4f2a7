"""The waits of a period from the waits kept by day and length (ADR 023): (days waited, how
many) pairs, a row per day and length whatever the size of the service. PostgreSQL only
(the triggers); callers read the episodes and referrals elsewhere. Each figure made from
them equals the reference (tests/dashboards/test_wait_facts.py)."""

from django.db import connection

from outcomes.dashboards.periods import Period
from outcomes.models import WaitDayFact

Kind = WaitDayFact.Kind

WAITS_SQL = """
SELECT days, SUM(n)::bigint FROM outcomes_waitdayfact
WHERE service_id = %(service)s AND kind = %(kind)s AND day >= %(start)s AND day <= %(end)s
  {received_by_end}
GROUP BY days HAVING SUM(n) <> 0
"""
# A treatment wait counts when the referral was received by the period's end, too (the
# episodes' own filter); its day less its length is that date.
RECEIVED_BY_END = "AND day - days <= %(end)s"


def wait_counts(service_id, kind: Kind, period: Period) -> list[tuple[int, int]]:
    """(days waited, how many) of the waits of `kind` that ended in the period."""
    received_by_end = RECEIVED_BY_END if kind == Kind.TREATMENT else ""
    params = {"service": service_id, "kind": kind, "start": period.start, "end": period.end}
    with connection.cursor() as cursor:
        cursor.execute(WAITS_SQL.format(received_by_end=received_by_end), params)
        return [(days, n) for days, n in cursor.fetchall()]
