"""The caseload facts and the ended episodes' facts (ADR 022), checked against a recompute
from the rows by the nightly reconcile, and every row that differs rebuilt. The database's
triggers keep them in the same transaction as the rows; drift means rows changed with
triggers off (a restore, `session_replication_role`, TRUNCATE). Recomputing and rebuilding
are migration 0014's SQL functions, the same the triggers call, under the same locks (the
people's rows)."""

from django.db import connection, transaction

# kind: (fact table, its key, the recompute of given keys, every key's source, rebuild of
# given keys, the columns compared). Identifiers only from here: nothing user-supplied is
# ever put into the SQL below.
KINDS = {
    "caseload": (
        "outcomes_personcaseloadfact",
        "service_user_id",
        "outcomes_caseload_rows",
        "SELECT id FROM referrals_serviceuser",
        "outcomes_caseload_refresh",
        "service_user_id, service_id, date_of_birth, gender, ethnic_category, "
        "has_disability_or_ltc, step, referred, took_up, said_so, episodes, "
        "referred_first, referred_last, took_up_first, took_up_last, said_so_first, "
        "said_so_last, episodes_first, episodes_last",
    ),
    "ended_episode": (
        "outcomes_endedepisodefact",
        "episode_id",
        "outcomes_ended_episode_rows",
        "SELECT id FROM outcomes_episode WHERE ended_on IS NOT NULL",
        "outcomes_ended_episode_refresh",
        "episode_id, service_id, ended_on, step, recovered, date_of_birth, gender, "
        "ethnic_category, has_disability_or_ltc",
    ),
}


def drifted(kind: str) -> list[tuple[int, int]]:
    """(key, service id) of every row missing, extra or different from a recompute."""
    table, key, rows, source, _, columns = KINDS[kind]
    sql = f"""
        WITH fresh AS MATERIALIZED (SELECT {columns} FROM {rows}(ARRAY({source}))),
             kept AS MATERIALIZED (SELECT {columns} FROM {table})
        SELECT DISTINCT {key}, service_id FROM (
            (SELECT * FROM fresh EXCEPT SELECT * FROM kept)
            UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM fresh)
        ) d ORDER BY 1, 2"""  # noqa: S608 (identifiers from KINDS)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def caseload_facts_reconcile() -> dict[str, dict[int, int]]:
    """Both kinds: rebuild every row that differs from its recompute; returns {kind:
    {service id: rows rebuilt}}. PostgreSQL only (elsewhere the dashboards read the rows)."""
    if connection.vendor != "postgresql":
        return {}
    drift: dict[str, dict[int, int]] = {}
    for kind, (*_, rebuild, _columns) in KINDS.items():
        found = drifted(kind)
        with transaction.atomic(), connection.cursor() as cursor:
            if found:
                cursor.execute(
                    f"SELECT {rebuild}(%s::bigint[])",
                    [[key for key, _ in found]],
                )
        counts: dict[int, int] = {}
        for _, service_id in found:
            counts[service_id] = counts.get(service_id, 0) + 1
        drift[kind] = counts
    return drift
