"""The waits kept by day and length (ADR 023), checked against a count of their sources by
the nightly reconcile. The triggers keep them in the same transaction as the episodes and
the referral copies; drift means rows changed with the triggers off (a restore,
`session_replication_role`, TRUNCATE) or the table edited by hand. PostgreSQL only."""

from django.db import connection, transaction

TABLE = "outcomes_waitdayfact"
STORED = (
    "SELECT kind::text, day, days, n FROM outcomes_waitdayfact"
    " WHERE service_id = %(service)s AND n <> 0"
)
EXPECTED = "SELECT * FROM outcomes_wait_facts_expected(%(service)s)"


def wait_facts_drift(service_id) -> int:
    """Rows kept and not counted, or counted and not kept."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (({EXPECTED} EXCEPT ALL {STORED})"  # noqa: S608 (constants)
            f" UNION ALL ({STORED} EXCEPT ALL {EXPECTED})) AS drift",
            {"service": service_id},
        )
        return cursor.fetchone()[0]


def wait_facts_rebuild(service_id) -> int:
    """Count one service's waits again when they differ from their sources; returns how many
    rows differed. The table is locked against writers while it is rebuilt, so no trigger's
    change falls between the delete and the count (writers wait milliseconds, and only
    when there was drift)."""
    drift = wait_facts_drift(service_id)
    if drift:
        params = {"service": service_id}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("LOCK TABLE outcomes_waitdayfact IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {TABLE} WHERE service_id = %(service)s", params)  # noqa: S608
            cursor.execute(
                f"INSERT INTO {TABLE} (service_id, kind, day, days, n)"  # noqa: S608 (constants)
                f" SELECT %(service)s, e.* FROM ({EXPECTED}) AS e",
                params,
            )
    return drift


def wait_facts_reconcile() -> dict[int, int]:
    """Every service with episodes, referral copies or waits kept: {service id: rows that
    differed}."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT service_id FROM outcomes_episode UNION SELECT service_id"
            " FROM outcomes_referralfact UNION SELECT service_id FROM outcomes_waitdayfact"
        )
        services = sorted(row[0] for row in cursor.fetchall())
    return {service_id: wait_facts_rebuild(service_id) for service_id in services}
