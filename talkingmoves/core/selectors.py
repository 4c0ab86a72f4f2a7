from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .models import WorkerHeartbeat


@dataclass(frozen=True)
class SystemHealth:
    database_ok: bool
    broker_ok: bool
    worker_last_seen_seconds: int | None


def _broker_reachable() -> bool:
    from talkingmoves.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # any transport error means "not reachable"
        return False
    return True


def system_health() -> SystemHealth:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database_ok = True
        latest = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    except DatabaseError:
        database_ok, latest = False, None
    age = int((timezone.now() - latest.last_seen_at).total_seconds()) if latest else None
    return SystemHealth(
        database_ok=database_ok, broker_ok=_broker_reachable(), worker_last_seen_seconds=age
    )


def readiness() -> dict[str, str]:
    """What /readyz reports: "ok", or what is wrong, for the database, its migrations and
    the broker. The worker is left out: web can serve pages while it is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        checks["database"], checks["migrations"] = "unreachable", "not checked"
    else:
        checks["database"] = "ok"
        checks["migrations"] = f"{len(pending)} not applied" if pending else "ok"
    checks["broker"] = "ok" if _broker_reachable() else "unreachable"
    return checks
