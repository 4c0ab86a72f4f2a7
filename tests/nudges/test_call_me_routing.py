""" "I'd like someone to call me" always reaches a person: the assigned clinician when they
can take it, otherwise the service's duty contact, otherwise the service leads; and every
page a service user reaches from a message says where to get help now."""

import pytest
from django.test import Client

from outcomes.models import OutcomeSettings
from referrals.nudges import answers, links
from referrals.nudges.models import CallRequest, Nudge
from tests.factories import ServiceLeadFactory
from tests.nudges.factories import did_you_go

pytestmark = pytest.mark.usefixtures("fresh_cache")
DUTY = "duty@example.nhs.uk"
TEMPLATE = "clinician_call_requested"


def _told() -> set[tuple]:
    return {
        (n.recipient_user_id, n.recipient_email) for n in Nudge.objects.filter(template=TEMPLATE)
    }


@pytest.mark.django_db
def test_call_me_goes_to_the_assigned_clinician_only_when_they_can_take_it(
    sent_referral, clinician
):
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    assert _told() == {(clinician.pk, "")}


@pytest.mark.django_db
@pytest.mark.parametrize("why", ["left", "moved_service"])
def test_call_me_goes_to_the_duty_contact_when_the_clinician_cannot_take_it(
    sent_referral, clinician, other_service, why
):
    if why == "left":
        clinician.is_active = False
    else:
        clinician.organisation = other_service
    clinician.save()
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    assert _told() == {(None, DUTY)}
    assert CallRequest.objects.filter(service_user=sent_referral.service_user).exists()


@pytest.mark.django_db
def test_call_me_goes_to_the_leads_without_clinician_or_duty_contact(sent_referral, service, lead):
    second_lead = ServiceLeadFactory(organisation=service)
    OutcomeSettings.objects.filter(service=service).update(duty_contact_email="")
    person = sent_referral.service_user
    person.assigned_clinician = None
    person.save(update_fields=["assigned_clinician"])
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    assert _told() == {(lead.pk, ""), (second_lead.pk, "")}


@pytest.mark.django_db
def test_answer_page_and_call_me_confirmation_show_the_services_crisis_support(
    sent_referral, service
):
    OutcomeSettings.objects.filter(service=service).update(
        crisis_support_text="Call the Riverside crisis line on 0800 000 0000\nOr call 999"
    )
    url = links.answer_path(did_you_go(sent_referral))
    page = Client().get(url).content.decode()
    assert "If you need help now" in page and "0800 000 0000" in page
    done = Client().post(url, {"answer": "call_me"}).content.decode()
    assert "Someone from your service will phone you" in done
    assert "Call the Riverside crisis line on 0800 000 0000" in done


@pytest.mark.django_db
def test_crisis_support_falls_back_to_nhs_111_999_and_samaritans(sent_referral, service):
    OutcomeSettings.objects.filter(service=service).delete()
    page = Client().get(links.answer_path(did_you_go(sent_referral))).content.decode()
    assert "NHS 111" in page and "999" in page and "116 123" in page
    assert "therapy" not in page.lower()
