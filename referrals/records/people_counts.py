"""Each service's count of people not erased (ServicePeopleCount, kept by triggers), read
for the whole-service caseload's page numbers and put right by the nightly reconcile."""

import logging

from django.db import connection, transaction

from referrals.models import ServicePeopleCount

logger = logging.getLogger(__name__)

RECOUNT = """
SELECT COALESCE(p.service_id, c.service_id), COALESCE(p.people, 0)
FROM (SELECT service_id, COUNT(*) AS people FROM referrals_serviceuser
      WHERE erased_at IS NULL GROUP BY 1) p
FULL JOIN referrals_servicepeoplecount c ON c.service_id = p.service_id
WHERE COALESCE(p.people, 0) IS DISTINCT FROM c.people
"""


def service_people_count(service_id) -> int | None:
    """People of the service not erased, or None where the database keeps no count (the
    SQLite demo: the caller counts its query)."""
    if connection.vendor != "postgresql":
        return None
    found = ServicePeopleCount.objects.filter(service_id=service_id).values_list("people")
    return found[0][0] if found else 0


def people_counts_reconcile() -> dict[int, int]:
    """{service id: the count's error} for every count that differed from the people; each is
    set to the people's count. The table is locked against writers while it is recounted
    (only when something differed), so no trigger's change falls in between."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT)
        if not cursor.fetchall():
            return {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE referrals_servicepeoplecount IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT service_id, people FROM referrals_servicepeoplecount")
        kept = dict(cursor.fetchall())
        cursor.execute(RECOUNT)
        wrong = {service_id: people for service_id, people in cursor.fetchall()}
        for service_id, people in wrong.items():
            cursor.execute(
                "INSERT INTO referrals_servicepeoplecount (service_id, people) VALUES (%s, %s)"
                " ON CONFLICT (service_id) DO UPDATE SET people = EXCLUDED.people",
                [service_id, people],
            )
    errors = {service_id: people - kept.get(service_id, 0) for service_id, people in wrong.items()}
    for service_id, error in sorted(errors.items()):
        logger.warning("People count drifted: service %s, off by %s", service_id, error)
    return errors
