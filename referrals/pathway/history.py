"""Referral history (ReferralEvent rows) is append-only in the database: a PostgreSQL trigger
refuses UPDATE and DELETE (migration 0015, docs/adr/017-append-only-referral-history.md).

The only changes it lets through are asked for here, for the rest of the current
transaction: blanking notes when a person is erased, and moving times when the demo data
is made. On other databases (the SQLite demo) there is no trigger and nothing to ask."""

from contextlib import contextmanager

from django.db import connection, transaction

SETTING = "talkingmoves.referral_history"
REDACT = "redact"  # erasure: notes may be blanked, nothing else changes
BACKDATE = "backdate"  # demo data only: times may move, nothing else changes


@contextmanager
def history_change(kind: str):
    """Allow one kind of change to event rows inside the block (and its transaction)."""
    if kind not in (REDACT, BACKDATE):
        raise ValueError(f"Unknown history change: {kind}")
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, kind])
        yield
        # Reset for the rest of an outer transaction. After an error there is nothing to
        # reset: rolling back to the block's savepoint undoes the setting too.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [SETTING])
