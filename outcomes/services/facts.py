"""Keeping the episode facts (models.facts, ADR 013) equal to the episodes they add up.

A change to an episode recomputes the (service, day) buckets it touches from the episodes
themselves, in the same transaction: delete those buckets' rows, insert them again from one
grouped query. Recomputing rather than adding deltas means a bucket is always exactly what
its episodes say, whatever happened to it before. A per-service advisory lock orders
concurrent refreshes, so the second sees the first's committed episodes. The nightly
reconcile rebuilds every service's facts and reports how many rows had drifted (changes that
bypass the services: SQL repairs, bulk loads, deleted people).

The SQL is assembled from the model's own table and column names (S608), never from input;
every value is a parameter."""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction

from outcomes.models import Episode, EpisodeDayFact
from outcomes.models.facts import COUNT_FIELDS, MEASURES, OUTCOME_FLAGS
from outcomes.services.appointment_facts import appointment_facts_reconcile
from outcomes.services.episode_activities import episode_activities_reconcile
from outcomes.services.treatment_dates import episode_treatment_dates_reconcile

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7013  # pg_advisory_xact_lock(namespace, service id): episode facts only

FACTS = EpisodeDayFact._meta.db_table
EPISODES = Episode._meta.db_table
FINISHED = "finished_treatment IS TRUE"


def _ended_columns() -> dict[str, str]:
    """Each counted column as an expression on one episode that ended on the bucket's day,
    as the raw comparison (dashboards' comparison.py) counts it."""

    def when(condition: str, value: str = "1") -> str:
        return f"CASE WHEN {condition} THEN {value} ELSE 0 END"

    columns = {
        "received": "0",
        "ended": "1",
        "finished": when(FINISHED),
        "fewer_sessions": when("finished_treatment IS FALSE"),
        "no_pair": when(f"{FINISHED} AND caseness_at_start IS NULL"),
        "not_case": when(f"{FINISHED} AND caseness_at_start IS FALSE"),
    }
    for flag in OUTCOME_FLAGS:
        columns[f"{flag}_n"] = when(f"{flag} IS TRUE")
        columns[f"{flag}_d"] = when(f"{flag} IS NOT NULL")
    for measure in MEASURES:
        change = f"{measure}_change"
        has_change = f"{FINISHED} AND {change} IS NOT NULL"
        columns[f"{measure}_count"] = when(has_change)
        columns[f"{measure}_sum"] = when(has_change, change)
        columns[f"{measure}_squares"] = when(has_change, f"{change} * {change}")
    paired = "last_phq9 IS NOT NULL AND last_gad7 IS NOT NULL"  # completeness.paired()
    columns["ended_paired"] = when(paired)
    columns["finished_paired"] = when(f"{FINISHED} AND {paired}")
    return columns


def _facts_select(*, by_day: bool) -> str:
    """The facts as they should be for one service (%(service)s), for every day or for the
    days in %(days)s."""
    ended = _ended_columns()
    received = {name: "1" if name == "received" else "0" for name in COUNT_FIELDS}
    received_day = f" AND referral_received_on IN ({_DAYS})" if by_day else ""
    ended_day = f" AND ended_on IN ({_DAYS})" if by_day else " AND ended_on IS NOT NULL"

    def part(day: str, columns: dict[str, str], where: str) -> str:
        values = ", ".join(f"{columns[name]} AS {name}" for name in COUNT_FIELDS)
        return (
            f"SELECT {day} AS day, activity_group, step, {values} FROM {EPISODES} "  # noqa: S608
            f"WHERE service_id = %(service)s{where}"
        )

    sums = ", ".join(f"CAST(SUM({name}) AS BIGINT)" for name in COUNT_FIELDS)
    return (
        f"SELECT %(service)s AS service_id, day, activity_group, step, {sums} FROM ("  # noqa: S608
        f"{part('referral_received_on', received, received_day)} UNION ALL "
        f"{part('ended_on', ended, ended_day)}) AS episode_days "
        "GROUP BY day, activity_group, step"
    )


# The days being refreshed, as a placeholder the refresh fills in (IN, not = ANY: portable
# to SQLite, which `make run`'s demo uses).
_DAYS = "__days__"


def _with_days(sql: str, params: dict[str, Any], days: list[date]) -> str:
    names = [f"day{index}" for index in range(len(days))]
    params.update(zip(names, days, strict=True))
    return sql.replace(_DAYS, ", ".join(f"%({name})s" for name in names))


COLUMNS = ", ".join(["service_id", "day", "activity_group", "step", *COUNT_FIELDS])


def _lock(cursor, service_id: int) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite (make run's demo) lets one writer in at a time anyway
    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, service_id])


def day_recount_query(*, service_id: int, days: list[date]) -> tuple[str, dict[str, Any]]:
    """The facts one service's episodes give for the given days: SQL and its parameters.
    The episode indexes it reads carry every column it counts (models.episodes)."""
    params: dict[str, Any] = {"service": service_id}
    return _with_days(_facts_select(by_day=True), params, days), params


def episode_facts_refresh(*, service_id: int, days: Iterable[date | None]) -> None:
    """Recompute one service's facts for the given days (None, an open episode's end, is
    skipped), in the caller's transaction."""
    wanted = sorted({day for day in days if day is not None})
    if not wanted:
        return
    recount, params = day_recount_query(service_id=service_id, days=wanted)
    insert = f"INSERT INTO {FACTS} ({COLUMNS}) {recount}"
    delete = _with_days(  # the same day parameters as the recount's
        f"DELETE FROM {FACTS} WHERE service_id = %(service)s AND day IN ({_DAYS})",  # noqa: S608
        params,
        wanted,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, service_id)
        cursor.execute(delete, params)
        cursor.execute(insert, params)


def episodes_facts_refresh(episodes: Iterable[tuple[int, date, date | None]]) -> None:
    """Refresh the buckets of many episodes, given as (service id, received on, ended on)."""
    days: dict[int, set] = {}
    for service_id, received_on, ended_on in episodes:
        days.setdefault(service_id, set()).update({received_on, ended_on})
    for service_id, service_days in sorted(days.items()):
        episode_facts_refresh(service_id=service_id, days=service_days)


def _drift(cursor, expected: str, stored: str, params: dict[str, Any]) -> int:
    """Rows in one set and not the other, duplicates counted."""
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT COUNT(*) FROM (({expected}) EXCEPT ALL ({stored}) UNION ALL "  # noqa: S608
            f"(({stored}) EXCEPT ALL ({expected}))) AS drift",
            params,
        )
        return cursor.fetchone()[0]
    # SQLite (the demo) has no EXCEPT ALL: compare the rows here.
    cursor.execute(expected, params)
    want = Counter(tuple(row) for row in cursor.fetchall())
    cursor.execute(stored, params)
    have = Counter(tuple(row) for row in cursor.fetchall())
    return sum(((want - have) + (have - want)).values())


def episode_facts_rebuild(*, service_id: int) -> int:
    """Rebuild one service's facts from its episodes; returns how many rows were wrong or
    missing beforehand (0 when maintenance kept them exact)."""
    params = {"service": service_id}
    expected = _facts_select(by_day=False)
    stored = f"SELECT {COLUMNS} FROM {FACTS} WHERE service_id = %(service)s"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, service_id)
        drift = _drift(cursor, expected, stored, params)
        if drift:
            cursor.execute(f"DELETE FROM {FACTS} WHERE service_id = %(service)s", params)  # noqa: S608
            cursor.execute(f"INSERT INTO {FACTS} ({COLUMNS}) {expected}", params)
    return drift


def episode_facts_reconcile() -> dict[int, int]:
    """Every service with episodes or facts: {service id: rows that had drifted}. The
    episodes' stored treatment dates (services.treatment_dates) are put right first, and
    their activities and the appointment facts (ADR 020) after."""
    dates = episode_treatment_dates_reconcile()
    if dates:
        logger.warning("Episode treatment dates drifted: %s episodes corrected", dates)
    pairs = episode_activities_reconcile()
    if pairs:
        logger.warning("Episode activities drifted: %s rows rebuilt", pairs)
    appointments = appointment_facts_reconcile()
    if appointments:
        logger.warning("Appointment facts drifted: %s rows rebuilt", appointments)
    services = set(Episode.objects.values_list("service_id", flat=True).distinct())
    services |= set(EpisodeDayFact.objects.values_list("service_id", flat=True).distinct())
    return {service_id: episode_facts_rebuild(service_id=service_id) for service_id in services}
