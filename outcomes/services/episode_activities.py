"""Keeping each ended episode's activities (models.episode_activities, ADR 020) equal to the
sessions they come from.

An episode's pairs are recomputed with its other derived columns (`episode_recompute`,
`episodes_recompute`), so every route that changes an episode, an appointment, a measure, a
referral or attendance (through the referral hooks) keeps them in the same transaction:
delete the episode's rows, insert them again from one query over its person's referrals and
their sessions on the provider's register. The nightly reconcile rebuilds them all and says
how many rows had drifted (changes that bypass the services: SQL repairs, bulk loads).

The SQL is assembled from the models' own table names (S608); every value is a parameter."""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from outcomes.models import Episode, EpisodeActivity
from referrals.models import Attendance, Referral

PAIRS = EpisodeActivity._meta.db_table
EPISODES = Episode._meta.db_table
REFERRALS = Referral._meta.db_table
SESSIONS = Attendance._meta.db_table
COLUMNS = "episode_id, activity_id, service_id, ended_on, recovered"

# The pairs as they should be: ended episodes, and the activity of each of the person's
# referrals with a session on the provider's register between the episode's start and end
# (as dashboards' breakdowns.recovery_by_activity joins them).
_EXPECTED = f"""
    SELECT DISTINCT e.id, r.activity_id, e.service_id, e.ended_on, e.recovered
    FROM {EPISODES} e
    JOIN {REFERRALS} r ON r.service_user_id = e.service_user_id
    JOIN {SESSIONS} s ON s.referral_id = r.id
    WHERE e.ended_on IS NOT NULL
      AND s.status = %(attended)s AND s.source = %(provider)s
      AND s.session_date >= e.referral_received_on AND s.session_date <= e.ended_on
"""  # noqa: S608
BATCH = 500


def _params() -> dict:
    return {"attended": Attendance.Status.ATTENDED, "provider": Attendance.SOURCE_PROVIDER}


def _ids(names: list[str]) -> str:
    # IN, not = ANY: portable to SQLite, which `make run`'s demo uses.
    return ", ".join(f"%({name})s" for name in names)


def episode_activities_refresh(episode_ids: Iterable[int]) -> None:
    """Recompute the pairs of these episodes, in the caller's transaction."""
    ids = sorted(set(episode_ids))
    for start in range(0, len(ids), BATCH):
        params = _params()
        names = [f"e{n}" for n in range(len(ids[start : start + BATCH]))]
        params.update(zip(names, ids[start : start + BATCH], strict=True))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {PAIRS} WHERE episode_id IN ({_ids(names)})",  # noqa: S608
                params,
            )
            cursor.execute(
                f"INSERT INTO {PAIRS} ({COLUMNS}) {_EXPECTED} AND e.id IN ({_ids(names)})",
                params,
            )


def _drift(cursor) -> int:
    stored = f"SELECT {COLUMNS} FROM {PAIRS}"  # noqa: S608
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT COUNT(*) FROM (({_EXPECTED}) EXCEPT ALL ({stored}) UNION ALL "  # noqa: S608
            f"(({stored}) EXCEPT ALL ({_EXPECTED}))) AS drift",
            _params(),
        )
        return cursor.fetchone()[0]
    # SQLite (the demo) has no EXCEPT ALL: compare the rows here.
    cursor.execute(_EXPECTED, _params())
    want = Counter(tuple(row) for row in cursor.fetchall())
    cursor.execute(stored)
    have = Counter(tuple(row) for row in cursor.fetchall())
    return sum(((want - have) + (have - want)).values())


def episode_activities_reconcile() -> int:
    """Rebuild every episode's pairs when any differ; returns how many rows had drifted
    (0 when the services kept them exact)."""
    with transaction.atomic(), connection.cursor() as cursor:
        drift = _drift(cursor)
        if drift:
            cursor.execute(f"DELETE FROM {PAIRS}")  # noqa: S608
            cursor.execute(f"INSERT INTO {PAIRS} ({COLUMNS}) {_EXPECTED}", _params())
    return drift
