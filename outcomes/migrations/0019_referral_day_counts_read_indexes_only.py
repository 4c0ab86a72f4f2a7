"""The referral facts' day count (ADR 018) reads two indexes and no referral.

Every change to a referral's counted columns (a send, an answer, an attendance) recounts
its day for the whole service. The count read one heap page for nearly every referral sent
that day: at the bench's scale 10, 7,230 pages and 293 ms for one day, and 16-25 ms of every
provider's answer (docs/performance.md, stop 33). It now counts referrals and signposting in
two parts, each from a partial index that carries the columns it counts, so each part is an
index-only scan. The rows counted and the figures are the same: the count kept the two kinds
apart already (`kind = 'refer'` and `kind <> 'refer'`, among rows that are one or the other).
PostgreSQL only, as the facts are. The indexes are built CONCURRENTLY, so the release step
never holds the referrals' write lock while the previous release serves (docs/deploy.md)."""

from django.conf import settings
from django.db import migrations

TZ = settings.TIME_ZONE


def _local(column: str) -> str:
    return f"({column} AT TIME ZONE '{TZ}')::date"


def _from(day: str) -> str:
    return f"(({day})::timestamp AT TIME ZONE '{TZ}')"


SIGNATURE = """outcomes_referral_counts(p_service bigint, p_from date, p_to date)
RETURNS TABLE (day date, referred bigint, answered bigint, accepted bigint, started bigint,
               self_reported bigint, completed bigint, signposted bigint, taken_up bigint)
LANGUAGE sql STABLE"""

COUNTED = ("referred", "answered", "accepted", "started", "self_reported", "completed",
           "signposted", "taken_up")  # fmt: skip

INDEXES = (
    """CREATE INDEX CONCURRENTLY referral_day_counts_referred
  ON referrals_referral (service_id, sent_at)
  INCLUDE (status, answered_at, accepted_at, provider_attended_on, first_attended_on)
  WHERE kind = 'refer'""",
    """CREATE INDEX CONCURRENTLY referral_day_counts_signposted
  ON referrals_referral (service_id, created_at) INCLUDE (status) WHERE kind = 'signpost'""",
)
DROP_INDEXES = (
    "DROP INDEX CONCURRENTLY IF EXISTS referral_day_counts_referred",
    "DROP INDEX CONCURRENTLY IF EXISTS referral_day_counts_signposted",
)

COUNT = f"""
CREATE OR REPLACE FUNCTION {SIGNATURE} AS $$
  SELECT day, {", ".join(f"CAST(SUM({c}) AS bigint)" for c in COUNTED)}
  FROM (
    SELECT {_local('sent_at')} AS day,
      COUNT(*) AS referred,
      COUNT(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
      COUNT(*) FILTER (WHERE accepted_at IS NOT NULL) AS accepted,
      COUNT(*) FILTER (WHERE provider_attended_on IS NOT NULL) AS started,
      COUNT(*) FILTER (WHERE provider_attended_on IS NULL
                       AND (first_attended_on IS NOT NULL
                            OR status IN ('attending', 'completed', 'taken_up'))) AS self_reported,
      COUNT(*) FILTER (WHERE status = 'completed') AS completed,
      0 AS signposted, 0 AS taken_up
    FROM referrals_referral
    WHERE service_id = p_service AND kind = 'refer'
      AND sent_at >= {_from('p_from')} AND sent_at < {_from('p_to + 1')}
    GROUP BY 1
    UNION ALL
    SELECT {_local('created_at')}, 0, 0, 0, 0, 0, 0,
      COUNT(*), COUNT(*) FILTER (WHERE status = 'taken_up')
    FROM referrals_referral
    WHERE service_id = p_service AND kind = 'signpost'
      AND created_at >= {_from('p_from')} AND created_at < {_from('p_to + 1')}
    GROUP BY 1
  ) AS by_kind
  GROUP BY day
$$;
"""

# Migration 0011's count, as it was.
OLD_COUNT = f"""
CREATE OR REPLACE FUNCTION {SIGNATURE} AS $$
  SELECT CASE WHEN kind = 'refer' THEN {_local('sent_at')}
  WHEN kind = 'signpost' THEN {_local('created_at')} END AS day,
    COUNT(*) FILTER (WHERE kind = 'refer'),
    COUNT(*) FILTER (WHERE kind = 'refer' AND answered_at IS NOT NULL),
    COUNT(*) FILTER (WHERE kind = 'refer' AND accepted_at IS NOT NULL),
    COUNT(*) FILTER (WHERE kind = 'refer' AND provider_attended_on IS NOT NULL),
    COUNT(*) FILTER (WHERE kind = 'refer' AND provider_attended_on IS NULL
                     AND (first_attended_on IS NOT NULL
                          OR status IN ('attending', 'completed', 'taken_up'))),
    COUNT(*) FILTER (WHERE kind = 'refer' AND status = 'completed'),
    COUNT(*) FILTER (WHERE kind <> 'refer'),
    COUNT(*) FILTER (WHERE kind <> 'refer' AND status = 'taken_up')
  FROM referrals_referral
  WHERE service_id = p_service
    AND ((kind = 'refer' AND sent_at >= {_from('p_from')} AND sent_at < {_from('p_to + 1')})
      OR (kind = 'signpost' AND created_at >= {_from('p_from')}
          AND created_at < {_from('p_to + 1')}))
  GROUP BY 1
$$;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (*DROP_INDEXES, *INDEXES):  # dropped first: what a failed try left behind
        schema_editor.execute(sql)
    schema_editor.execute(COUNT)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_COUNT)
    for sql in DROP_INDEXES:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("outcomes", "0018_episode_recount_covering_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
