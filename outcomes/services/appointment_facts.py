"""Keeping the appointment facts (models.facts.AppointmentDayFact, ADR 020) equal to the
appointments they count.

Appointments are only ever added, through `appointment_record`, which recomputes the
episode: `episode_recompute` and `episodes_recompute` recount the days of the episode's
appointments for its service in the same transaction (delete those rows, insert them again
from one grouped query over those days' appointments, `appointment_on_day` index). The nightly
reconcile rebuilds every service's facts and says how many rows had drifted (what bypasses
the service: SQL repairs, bulk loads, people deleted by erasure).

The SQL is assembled from the models' own table names (S608); every value is a parameter."""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

from outcomes.models import Appointment, AppointmentDayFact, Episode

FACTS = AppointmentDayFact._meta.db_table
APPOINTMENTS = Appointment._meta.db_table
EPISODES = Episode._meta.db_table
COLUMNS = "service_id, day, missed, due"
LOCK_NAMESPACE = 7013  # the episode facts' per-service lock (services.facts): one order
A = Appointment.Attendance

# The facts as they should be, for every service and day (or one, with %(service)s and
# %(day)s appended by the refresh).
_EXPECTED = f"""
    SELECT e.service_id, a."on" AS day,
           SUM(CASE WHEN a.attendance = %(missed)s THEN 1 ELSE 0 END) AS missed,
           SUM(CASE WHEN a.attendance IN (%(attended)s, %(missed)s) THEN 1 ELSE 0 END) AS due
    FROM {APPOINTMENTS} a JOIN {EPISODES} e ON e.id = a.episode_id
"""  # noqa: S608
_GROUPED = ' GROUP BY e.service_id, a."on"'


def _params(**more) -> dict:
    return {"missed": A.DID_NOT_ATTEND, "attended": A.ATTENDED, **more}


def appointment_facts_refresh(*, service_id: int, days: Iterable[date]) -> None:
    """Recount one service's appointments on the given days, in the caller's transaction."""
    wanted = sorted(set(days))
    if not wanted:
        return
    names = [f"day{n}" for n in range(len(wanted))]
    params = _params(service=service_id, **dict(zip(names, wanted, strict=True)))
    # IN, not = ANY: portable to SQLite, which `make run`'s demo uses.
    in_days = f"IN ({', '.join(f'%({name})s' for name in names)})"
    where = f' WHERE e.service_id = %(service)s AND a."on" {in_days}'
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # orders concurrent recounts (facts' lock)
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, service_id])
        cursor.execute(
            f"DELETE FROM {FACTS} WHERE service_id = %(service)s AND day {in_days}",  # noqa: S608
            params,
        )
        cursor.execute(f"INSERT INTO {FACTS} ({COLUMNS}) {_EXPECTED}{where}{_GROUPED}", params)


def episodes_appointment_facts_refresh(episodes: Iterable[Episode]) -> None:
    """Recount the days of these episodes' appointments (their `appointments` prefetched or
    cheap to read), service by service."""
    days: dict[int, set[date]] = {}
    for episode in episodes:
        on = {appointment.on for appointment in episode.appointments.all()}
        days.setdefault(episode.service_id, set()).update(on)
    for service_id, service_days in sorted(days.items()):
        appointment_facts_refresh(service_id=service_id, days=service_days)


def _drift(cursor) -> int:
    expected = f"SELECT {COLUMNS} FROM ({_EXPECTED}{_GROUPED}) AS expected"  # noqa: S608
    stored = f"SELECT {COLUMNS} FROM {FACTS}"  # noqa: S608
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT COUNT(*) FROM (({expected}) EXCEPT ALL ({stored}) UNION ALL "  # noqa: S608
            f"(({stored}) EXCEPT ALL ({expected}))) AS drift",
            _params(),
        )
        return cursor.fetchone()[0]
    # SQLite (the demo) has no EXCEPT ALL: compare the rows here.
    cursor.execute(expected, _params())
    want = Counter(tuple(row) for row in cursor.fetchall())
    cursor.execute(stored)
    have = Counter(tuple(row) for row in cursor.fetchall())
    return sum(((want - have) + (have - want)).values())


def appointment_facts_reconcile() -> int:
    """Rebuild the appointment facts when any row differs from the appointments; returns
    how many rows had drifted (0 when the service kept them exact)."""
    with transaction.atomic(), connection.cursor() as cursor:
        drift = _drift(cursor)
        if drift:
            cursor.execute(f"DELETE FROM {FACTS}")  # noqa: S608
            cursor.execute(f"INSERT INTO {FACTS} ({COLUMNS}) {_EXPECTED}{_GROUPED}", _params())
    return drift
