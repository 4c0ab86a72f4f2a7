import json

import pytest
from django.urls import reverse

from referrals.models import Referral, ServiceUser
from referrals.pathway import services
from talkingmoves.audit.models import AccessLog
from tests.referrals.factories import ReferralFactory, ServiceUserFactory


@pytest.fixture
def person(clinician):
    # Overrides the person in tests/conftest.py: named, with a postcode and a draft referral,
    # for the export to show and the erasure to remove.
    person = ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        given_name="Rosa",
        family_name="Patel",
        nhs_number="9876543210",
        postcode="LS6 2AB",
        ready_to_refer=True,
    )
    ReferralFactory(draft=True, service_user=person, goal="Sleep better")
    return person


@pytest.mark.parametrize(
    ("role", "expected"),
    [("lead", 200), ("clinician", 403), ("partnership", 403), ("provider", 403), ("admin", 403)],
)
@pytest.mark.parametrize("name", ["referrals:data_export", "referrals:data_erase"])
def test_only_the_service_lead_handles_data_rights(cast, client_for, person, role, expected, name):
    url = reverse(name, args=[person.public_id])
    assert client_for(cast[role]).get(url).status_code == expected


def test_another_services_lead_gets_404(client_for, person, other_service):
    from tests.factories import ServiceLeadFactory

    other_lead = ServiceLeadFactory(organisation=other_service)
    url = reverse("referrals:data_export", args=[person.public_id])
    assert client_for(other_lead).get(url).status_code == 404


def test_export_has_everything_and_is_logged(client_for, lead, person):
    url = reverse("referrals:data_export", args=[person.public_id])
    response = client_for(lead).get(url, {"format": "json"})
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["record"]["nhs_number"] == "9876543210"
    assert data["referrals"][0]["goal"] == "Sleep better"
    assert data["screenings"][0]["outcome"] == "Cleared to start gradually"
    assert AccessLog.objects.filter(actor=lead, action="export").count() == 1
    page = client_for(lead).get(url).content.decode()
    assert "Rosa Patel" in page and "Sleep better" in page


def test_erase_removes_identity_and_keeps_statistics(client_for, lead, person):
    url = reverse("referrals:data_erase", args=[person.public_id])
    response = client_for(lead).post(url, {"confirm": "on"})
    assert response.status_code == 302
    erased = ServiceUser.objects.get(pk=person.pk)
    assert (erased.nhs_number, erased.given_name, erased.email, erased.mobile) == (
        "",
        "Erased",
        "",
        "",
    )
    assert erased.postcode == "LS6"
    assert erased.erased_at is not None
    referral = Referral.objects.get(service_user=erased)
    assert referral.goal == "" and referral.status == "withdrawn"  # erasure closes it
    assert AccessLog.objects.filter(actor=lead, action="erase").exists()
    # Gone from the service's view of people.
    export = reverse("referrals:data_export", args=[person.public_id])
    assert client_for(lead).get(export).status_code == 404


def test_erase_needs_confirmation_and_changes_nothing_without_it(client_for, lead, person):
    url = reverse("referrals:data_erase", args=[person.public_id])
    response = client_for(lead).post(url, {})
    content = response.content.decode()
    assert "Confirm that you understand erasing cannot be undone" in content
    assert "There is a problem" in content
    assert ServiceUser.objects.get(pk=person.pk).nhs_number == "9876543210"


def test_export_is_get_only(client_for, lead, person):
    url = reverse("referrals:data_export", args=[person.public_id])
    assert client_for(lead).post(url).status_code == 405


def test_record_page_links_to_data_rights_for_the_lead_only(client_for, lead, clinician, person):
    url = reverse("referrals:record", args=[person.public_id])
    export = reverse("referrals:data_export", args=[person.public_id])
    assert export in client_for(lead).get(url).content.decode()
    assert export not in client_for(clinician).get(url).content.decode()


@pytest.fixture
def messaged_person(person, clinician):
    """The person with a sent referral (so nudges) and an episode with a PHQ-9."""
    from datetime import date

    from referrals.nudges import delivery
    from tests.outcomes.factories import EpisodeFactory, measure, phq9_items

    referral = Referral.objects.get(service_user=person)
    services.referral_send(referral=referral, by=clinician)
    for nudge_id in delivery.claim_due():
        delivery.deliver(nudge_id)
    episode = EpisodeFactory(service_user=person)
    measure(episode, "phq9", phq9_items(14), on=date(2026, 1, 12))
    measure(episode, "wsas", [None, 2, 3, 4, 5], on=date(2026, 1, 12))  # not working
    return person


def test_export_includes_messages_and_outcomes(client_for, lead, messaged_person):
    url = reverse("referrals:data_export", args=[messaged_person.public_id])
    data = json.loads(client_for(lead).get(url, {"format": "json"}).content)
    sent = [m for m in data["messages"] if m["status"] == "Sent"]
    assert [m["sent_to"] for m in sent] == [messaged_person.email]
    assert {m["status"] for m in data["messages"]} == {"Sent", "Scheduled"}
    [episode] = data["episodes"]
    phq9, wsas = sorted(episode["measures"], key=lambda m: m["kind"])
    assert phq9["total"] == 14 and len(phq9["items"]) == 9
    assert wsas["items"] == [None, 2, 3, 4, 5]  # the gap stays where it was
    assert data["risk_flags"] == [] and data["call_requests"] == []


def test_erase_stops_messages_and_removes_their_copies(client_for, lead, messaged_person):
    from referrals.nudges.models import Nudge
    from talkingmoves.notify.models import StoredMessage

    nudges = Nudge.objects.filter(service_user=messaged_person)
    references = [str(pk) for pk in nudges.values_list("pk", flat=True)]
    assert StoredMessage.objects.filter(reference__in=references).exists()
    url = reverse("referrals:data_erase", args=[messaged_person.public_id])
    client_for(lead).post(url, {"confirm": "on"})
    assert not nudges.filter(status=Nudge.Status.SCHEDULED).exists()
    assert set(nudges.values_list("sent_to", flat=True)) == {""}
    assert not StoredMessage.objects.filter(reference__in=references).exists()
