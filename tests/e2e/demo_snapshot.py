"""A copy of the seeded demo, per test worker, so browser journeys start from it in a second.

A transactional test's teardown empties every table, so each journey used to run `seed_demo`
again (10-20 s on this machine, most of a journey's time). The first journey of a worker seeds
and copies every table out with COPY; the next ones empty the tables, copy them back in with
triggers off (the copy is already consistent) and move each sequence past its rows. Content
types are part of the copy, so ids inside the demo (audit entries) still point at the right ones.

Only on PostgreSQL and only on the day it was taken: the demo's dates are relative to today.
"""

import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection

_snapshot: dict[str, bytes] = {}
_taken_on: list[datetime.date] = []


def restore_or_seed(seed):
    today = datetime.date.today()
    if connection.vendor != "postgresql":
        seed()
        return
    if _snapshot and _taken_on == [today]:
        _restore()
        return
    seed()
    _take()
    _taken_on[:] = [today]


def _tables():
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _take():
    _snapshot.clear()
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                rows = b"".join(bytes(chunk) for chunk in copy)
            if rows:
                _snapshot[table] = rows


def _restore():
    quoted = ", ".join(f'"{table}"' for table in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted}")
        cursor.execute("SET session_replication_role = replica")
        try:
            for table, rows in _snapshot.items():
                with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(rows)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    ContentType.objects.clear_cache()
