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


def _more_of_everything(person, n: int) -> None:
    """n more of each thing the record lists: referrals with their history and sessions,
    screenings, episodes with measures and appointments, messages with answers."""
    from referrals.nudges.models import NudgeResponse
    from tests.nudges.factories import NudgeFactory
    from tests.outcomes.factories import AppointmentFactory, EpisodeFactory, measure
    from tests.referrals.factories import ReferralFactory, ScreeningFactory

    for _ in range(n):
        ReferralFactory(service_user=person, attending=True)
        ScreeningFactory(service_user=person)
        episode = EpisodeFactory(service_user=person, recovered=True)  # ended: many a person
        measure(episode, "activity_days", [3], on=episode.referral_received_on)
        AppointmentFactory(episode=episode)
        nudge = NudgeFactory(service_user=person)
        NudgeResponse.objects.create(nudge=nudge, answer="not_yet")


def test_the_record_costs_the_same_queries_however_long(client_for, clinician, person):
    """Nothing on the record is read once per row: not a referral's history, a screening's
    recorder, an episode's measures or a message's answers (a column left out of a
    selector's only() would be read row by row)."""
    client = client_for(clinician)
    _more_of_everything(person, 1)
    client.get(f"/service-users/{person.public_id}/")
    one, _page = _record_queries(client, person)
    _more_of_everything(person, 3)
    four, page = _record_queries(client, person)
    assert page.count('class="nhsuk-card"') > 8
    assert four == one
