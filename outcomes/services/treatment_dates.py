"""Each episode's first and second attended treatment dates (Episode.first_treatment_on,
second_treatment_on; ADR 016), kept by `episode_recompute` with the other outcome columns
and checked by the nightly reconcile: one statement that puts right every episode whose
stored dates differ from its appointments (changes that bypass the services: SQL repairs,
bulk loads such as the bench seed's COPY), and says how many it corrected.

The SQL is assembled from the models' own table names (S608); every value is a parameter."""

from django.db import connection, transaction

from outcomes.models import Appointment, Episode

EPISODES = Episode._meta.db_table
APPOINTMENTS = Appointment._meta.db_table

# Every episode's first and second attended treatment date, from its appointments.
EXPECTED = f"""
    SELECT e.id, t.days[1] AS first_on, t.days[2] AS second_on
    FROM {EPISODES} e
    LEFT JOIN (
        SELECT episode_id, ARRAY_AGG(a."on" ORDER BY a."on", a.id) AS days
        FROM {APPOINTMENTS} a
        WHERE a.attendance = %(attended)s AND a.kind = ANY(%(kinds)s)
        GROUP BY episode_id
    ) t ON t.episode_id = e.id
"""  # noqa: S608

RECONCILE = f"""
    UPDATE {EPISODES} AS stored
    SET first_treatment_on = expected.first_on, second_treatment_on = expected.second_on
    FROM ({EXPECTED}) AS expected
    WHERE stored.id = expected.id
      AND (stored.first_treatment_on IS DISTINCT FROM expected.first_on
           OR stored.second_treatment_on IS DISTINCT FROM expected.second_on)
"""  # noqa: S608


def _params() -> dict:
    return {
        "attended": Appointment.Attendance.ATTENDED,
        "kinds": list(Appointment.TREATMENT_KINDS),
    }


def episode_treatment_dates_reconcile() -> int:
    """Put every episode's stored treatment dates right; returns how many were wrong."""
    if connection.vendor != "postgresql":
        return _reconcile_in_python()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RECONCILE, _params())
        return cursor.rowcount


def _reconcile_in_python() -> int:
    """SQLite (the zero-setup demo): the same, a row at a time."""
    wrong = 0
    treated = Appointment.objects.filter(
        attendance=Appointment.Attendance.ATTENDED, kind__in=Appointment.TREATMENT_KINDS
    ).order_by("on", "pk")
    days: dict[int, list] = {}
    for episode_id, on in treated.values_list("episode_id", "on"):
        days.setdefault(episode_id, []).append(on)
    with transaction.atomic():
        for episode in Episode.objects.only("pk", "first_treatment_on", "second_treatment_on"):
            found = days.get(episode.pk, [])
            first, second = [*found, None, None][:2]
            if (episode.first_treatment_on, episode.second_treatment_on) != (first, second):
                Episode.objects.filter(pk=episode.pk).update(
                    first_treatment_on=first, second_treatment_on=second
                )
                wrong += 1
    return wrong
