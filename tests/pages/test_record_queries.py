"""The record page reads its shortlist for the table only: each item's activity and provider
in one query, whatever the list's length (the venue and sessions are for the printed list)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals.shortlists.models import ShortlistItem
from tests.providers.factories import ActivityFactory


def _record_queries(client, person) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/service-users/{person.public_id}/").content.decode()
    return len(queries), page


def test_the_shortlist_costs_one_query_however_long(client_for, clinician, person, activity):
    client = client_for(clinician)
    ShortlistItem.objects.create(service_user=person, activity=activity, note="Bring <water>")
    client.get(f"/service-users/{person.public_id}/")
    one, page = _record_queries(client, person)
    assert "Beginners&#x27; walking group" in page and "Riverside Leisure" in page
    assert 'value="Bring &lt;water&gt;"' in page
    for n in range(3):
        ShortlistItem.objects.create(
            service_user=person, activity=ActivityFactory(name=f"Swim {n}"), note=""
        )
    four, page = _record_queries(client, person)
    assert "Swim 2" in page
    assert four == one
