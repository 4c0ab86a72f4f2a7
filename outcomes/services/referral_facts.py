"""The referral copies and their counts by month (ADR 021), checked against the referrals by
the nightly reconcile. Triggers keep them in the same transaction as the referrals; drift
means rows changed with the triggers off (a restore, `session_replication_role`, TRUNCATE)
or the tables edited by hand. Copying and counting are migration 0015's SQL functions, the
same the triggers call, under the same lock per (service, month, activity)."""

from django.db import connection, transaction

from outcomes.models.referral_facts import MONTH_COUNTS

EVERY_DAY = ("1900-01-01", "9999-12-31")
COPY_COLUMNS = (
    "referral_id, service_id, activity_id, sent_on, answered, accepted, started, "
    "self_reported, completed, reply_days, attended_on, waited_days"
)


def drifted_copies(service_id) -> list[int]:
    """Referral ids whose copy is missing, extra or differs from the referral now."""
    sql = f"""
        SELECT referral_id FROM (
          (SELECT * FROM outcomes_referral_service_copies(%s)
           EXCEPT ALL SELECT {COPY_COLUMNS} FROM outcomes_referralfact WHERE service_id = %s)
          UNION ALL
          (SELECT {COPY_COLUMNS} FROM outcomes_referralfact WHERE service_id = %s
           EXCEPT ALL SELECT * FROM outcomes_referral_service_copies(%s))
        ) d GROUP BY referral_id ORDER BY referral_id"""  # noqa: S608 (no input in the SQL)
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id] * 4)
        return [row[0] for row in cursor.fetchall()]


def drifted_months(service_id) -> list[tuple]:
    """(month, activity id) of each count by month that differs from a count of the copies."""
    fresh = ", ".join(f"f.{c}" for c in MONTH_COUNTS)
    kept = ", ".join(f"k.{c}" for c in MONTH_COUNTS)
    sql = f"""
        SELECT COALESCE(f.month, k.month), COALESCE(f.activity_id, k.activity_id)
        FROM outcomes_referral_month_counts(%s, %s, %s) f
        FULL JOIN (SELECT * FROM outcomes_referralmonthfact WHERE service_id = %s) k
          ON k.month = f.month AND k.activity_id = f.activity_id
        WHERE ({fresh}) IS DISTINCT FROM ({kept})
        ORDER BY 1, 2"""  # noqa: S608 (column names from MONTH_COUNTS)
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id, *EVERY_DAY, service_id])
        return [tuple(row) for row in cursor.fetchall()]


# Each refresh holds an advisory lock per (service, month, activity) it touches until its
# transaction ends, and PostgreSQL's lock table is small and shared (64 a connection by
# default): a rebuild after a restore, hundreds of thousands of copies, would run out of it
# ("out of shared memory"). So the drift is put right a batch at a time, each batch in its
# own transaction; a batch is whole (copies and their months agree when it commits).
BATCH = 500


def referral_facts_rebuild(service_id) -> int:
    """Put right one service's copies that differ from their referrals (recounting their
    months), then any count by month that still differs from its copies; returns how many
    rows were put right."""
    copies = drifted_copies(service_id)
    for start in range(0, len(copies), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            batch = copies[start : start + BATCH]
            cursor.execute("SELECT outcomes_referral_facts_refresh(%s::bigint[])", [batch])
    months = drifted_months(service_id)
    for start in range(0, len(months), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            for month, activity_id in months[start : start + BATCH]:
                cursor.execute(
                    "SELECT outcomes_referral_month_refresh(%s, %s, %s)",
                    [service_id, month, activity_id],
                )
    return len(copies) + len(months)


def referral_facts_reconcile() -> dict[int, int]:
    """Every service with referrals or copies: {service id: rows put right}. PostgreSQL only
    (elsewhere the dashboards read the referrals)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT service_id FROM referrals_referral UNION SELECT service_id"
            " FROM outcomes_referralfact UNION SELECT service_id FROM outcomes_referralmonthfact"
        )
        services = sorted(row[0] for row in cursor.fetchall())
    return {service_id: referral_facts_rebuild(service_id) for service_id in services}
