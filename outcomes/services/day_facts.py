"""The referral and message facts by day (ADR 018): checked against the rows themselves by
the nightly reconcile, and any day that differs rebuilt. The database's triggers keep them
in the same transaction as the rows; drift means rows changed with triggers off (a restore,
`session_replication_role`, TRUNCATE). Counting and rebuilding a day are migration 0010's
SQL functions, the same the triggers call, under the same lock per (service, day)."""

from django.db import connection, transaction

from outcomes.models.day_facts import NUDGE_COUNTS, REFERRAL_COUNTS

# kind: (fact table, counting function, rebuild of one day, counted columns, rows' table).
# Identifiers only from here: nothing user-supplied is ever put into the SQL below.
KINDS = {
    "referral": (
        "outcomes_referraldayfact",
        "outcomes_referral_counts",
        "outcomes_referral_day_refresh",
        REFERRAL_COUNTS,
        "referrals_referral",
    ),
    "nudge": (
        "outcomes_nudgedayfact",
        "outcomes_nudge_counts",
        "outcomes_nudge_day_refresh",
        NUDGE_COUNTS,
        "nudges_nudge",
    ),
}
EVERY_DAY = ("1900-01-01", "9999-12-30")


def _drifted_days(kind: str, service_id) -> list:
    table, counts, _, columns, _ = KINDS[kind]
    fresh = ", ".join(f"f.{c}" for c in columns)
    kept = ", ".join(f"k.{c}" for c in columns)
    sql = f"""
        SELECT COALESCE(f.day, k.day)
        FROM {counts}(%s, %s, %s) f
        FULL JOIN (SELECT * FROM {table} WHERE service_id = %s) k ON k.day = f.day
        WHERE ({fresh}) IS DISTINCT FROM ({kept})
        ORDER BY 1"""  # noqa: S608 (identifiers from KINDS)
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id, *EVERY_DAY, service_id])
        return [row[0] for row in cursor.fetchall()]


BATCH = 200


def day_facts_rebuild(kind: str, service_id) -> int:
    """Put right every day of one service's facts of `kind` that differs from its rows;
    returns how many days did (a row missing, extra or wrong)."""
    refresh = KINDS[kind][2]
    days = _drifted_days(kind, service_id)
    # A batch a transaction: each day's refresh holds an advisory lock until commit, and
    # years of days at once could fill PostgreSQL's small shared lock table.
    for start in range(0, len(days), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            for day in days[start : start + BATCH]:
                cursor.execute(f"SELECT {refresh}(%s, %s)", [service_id, day])
    return len(days)


def day_facts_reconcile() -> dict[str, dict[int, int]]:
    """Every service with rows or facts, each kind: {kind: {service id: days rebuilt}}.
    PostgreSQL only (elsewhere the dashboards read the rows)."""
    if connection.vendor != "postgresql":
        return {}
    drift: dict[str, dict[int, int]] = {}
    for kind, (table, *_, rows) in KINDS.items():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT service_id FROM {rows} UNION SELECT service_id FROM {table}"  # noqa: S608
            )
            services = sorted(row[0] for row in cursor.fetchall())
        drift[kind] = {service_id: day_facts_rebuild(kind, service_id) for service_id in services}
    return drift
