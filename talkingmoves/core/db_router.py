"""Reporting reads on the read replica, when there is one (DATABASE_REPLICA_URL, ADR 009).

The lead and partnership dashboards and their CSV downloads are the heaviest reads and can
be a few seconds stale, so they run inside `reporting_reads()` and this router sends their
queries to the replica. Everything else, and every write, uses the default database.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Read where they are written: the database cache and sessions are not reporting data.
_ALWAYS_DEFAULT = {"django_cache", "sessions"}
_reporting_alias: ContextVar[str | None] = ContextVar("reporting_alias", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reporting_reads() -> Iterator[str]:
    """Send the reads inside to the replica; yields the database alias they use. Not while
    the default database has a transaction open: the replica cannot see what it has not
    committed yet."""
    alias = DEFAULT_DB_ALIAS
    if replica_configured() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        alias = REPLICA
    token = _reporting_alias.set(alias)
    try:
        yield alias
    finally:
        _reporting_alias.reset(token)


class ReportingReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = _reporting_alias.get()
        if alias is None or model._meta.app_label in _ALWAYS_DEFAULT:
            return None
        return alias

    def db_for_write(self, model, **hints):
        # Even for a row read from the replica (Django would otherwise write it back there).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the default database.
        databases = {obj1._state.db, obj2._state.db}
        return databases <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        # The replica follows the default database; it is never migrated itself.
        return db != REPLICA
