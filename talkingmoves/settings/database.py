"""The database settings (ADR 009): PostgreSQL from DATABASE_URL, with persistent connections
that are checked before use, connect and statement timeouts, a mode for PgBouncer in
transaction mode, and an optional read replica for the dashboards and their CSV downloads.
Without DATABASE_URL (make run), an SQLite file. Imported by base.py; production.py adds
nothing but its requirement that DATABASE_URL is set."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str

DEFAULT, REPLICA = "default", "replica"
DATABASE_ROUTERS = ["talkingmoves.core.db_router.ReportingReplicaRouter"]


def _postgresql(url: str) -> dict:
    behind_pgbouncer = env_bool("DATABASE_PGBOUNCER", False)
    database = dj_database_url.parse(
        url,
        # Seconds a connection is kept between requests (0: one per request). Checked before
        # reuse, so a database restart or failover costs a reconnect, not an error page.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
        # PgBouncer in transaction mode may hand each transaction a different server
        # connection, so a cursor that outlives its transaction (QuerySet.iterator()) would
        # be lost; Django then fetches in chunks on the client instead.
        disable_server_side_cursors=behind_pgbouncer,
    )
    options = database.setdefault("OPTIONS", {})
    options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", default=5)
    statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT_MS", default=0)
    if statement_timeout:
        if behind_pgbouncer:
            # PgBouncer refuses (or, told to ignore it, drops) the startup option.
            raise ImproperlyConfigured(
                "DATABASE_STATEMENT_TIMEOUT_MS cannot be sent through PgBouncer: unset it and "
                "set the timeout on the database role instead (ALTER ROLE ... SET "
                "statement_timeout = '30s'; see docs/deploy.md)."
            )
        options["options"] = f"-c statement_timeout={statement_timeout}"
    return database


def databases(data_dir: Path) -> dict:
    url = env_str("DATABASE_URL", default="")
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return {
            DEFAULT: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": data_dir / "talkingmoves.sqlite3",
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            }
        }
    configured = {DEFAULT: _postgresql(url)}
    replica_url = env_str("DATABASE_REPLICA_URL", default="")
    if replica_url:
        configured[REPLICA] = {
            **_postgresql(replica_url),
            # Tests never create it: it is the default database, replicated.
            "TEST": {"MIRROR": DEFAULT},
        }
    return configured
