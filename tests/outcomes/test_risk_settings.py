"""A service cannot send questionnaire links or messages to service users until it has a
duty contact for risk alerts: refused on the settings pages, in the services and at send
time. The service lead sets the duty contact and the escalation hours on their own page."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from outcomes import services
from outcomes.models import MeasureRequest, OutcomeSettings
from outcomes.services import OutcomeError
from referrals.nudges import delivery
from referrals.nudges.models import Nudge, NudgeSetting
from referrals.nudges.schedule_settings import ScheduleError, nudge_settings_save
from referrals.nudges.services import nudge_to_service_user
from talkingmoves.accounts.models import Organisation
from talkingmoves.audit.models import AccessLog
from talkingmoves.demo.outcomes import DUTY_CONTACTS, seed_duty_contacts
from tests.factories import ServiceLeadFactory, TalkingTherapiesServiceFactory, with_duty_contact
from tests.outcomes.factories import phq9_items
from tests.outcomes.safety_fixtures import (  # noqa: F401
    TODAY,
    episode_fixture,
    frozen_fixture,
    person_fixture,
)

pytestmark = pytest.mark.usefixtures("frozen")
URL = "/outcomes/settings/risk-alerts/"
SENDER = {"message_sender_name": "your NHS wellbeing team"}
NO_LINKS = "Questionnaire links are turned off until your service has a duty contact"


def test_the_url_is_named():
    assert reverse("outcomes:risk_settings") == URL


# --- No duty contact: refused ---------------------------------------------------------------


def test_no_questionnaire_link_without_a_duty_contact(clinician, episode):
    with pytest.raises(OutcomeError, match=NO_LINKS):
        services.measure_request_create(episode=episode, by=clinician)
    assert not MeasureRequest.objects.exists()
    assert not Nudge.objects.filter(template="measures_request").exists()
    with_duty_contact(episode.service)
    services.measure_request_create(episode=episode, by=clinician)
    assert MeasureRequest.objects.count() == 1


def test_the_record_explains_why_no_link_was_sent(client_for, clinician, person, episode):
    response = client_for(clinician).post(
        reverse("outcomes:measure_request_create", args=[episode.public_id]), follow=True
    )
    assert NO_LINKS in response.content.decode()


def test_no_messages_to_service_users_can_be_turned_on_without_a_duty_contact(lead):
    values = {"did_you_go": (True, 7, ""), "clinician_provider_silent": (True, 7, "")}
    with pytest.raises(ScheduleError, match="no duty contact for risk alerts"):
        nudge_settings_save(service=lead.organisation, by=lead, values=values)
    assert not NudgeSetting.objects.exists()
    # Turning them off, or changing only staff messages, is allowed.
    values["did_you_go"] = (False, 7, "")
    nudge_settings_save(service=lead.organisation, by=lead, values=values)
    with_duty_contact(lead.organisation)
    values["did_you_go"] = (True, 7, "")
    nudge_settings_save(service=lead.organisation, by=lead, values=values)
    assert NudgeSetting.objects.get(template="did_you_go").enabled


def test_the_schedule_page_refuses_and_says_why(client_for, lead):
    client = client_for(lead)
    page = client.get(reverse("nudges:schedule")).content.decode()
    assert "Messages to service users are off" in page
    assert reverse("outcomes:risk_settings") in page
    form = client.get(reverse("nudges:schedule")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    response = client.post(reverse("nudges:schedule"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "no duty contact for risk alerts" in response.content.decode()
    assert not NudgeSetting.objects.exists()


def test_messages_to_service_users_are_not_sent_without_a_duty_contact(person, clinician):
    """Checked at send time too (a default schedule is on without anyone saving it)."""
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        to_person = nudge_to_service_user(
            service_user=person, template="measures_request", link_path="/x"
        )
        assert delivery.deliver(delivery.claim_due()[0]) == "skipped"
    to_person.refresh_from_db()
    assert to_person.skip_reason == Nudge.SkipReason.NO_DUTY_CONTACT


def test_risk_alerts_to_staff_go_even_without_a_duty_contact(clinician, lead, episode):
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        services.measure_record(
            episode=episode,
            kind="phq9",
            taken_on=TODAY,
            answers=phq9_items(4, item_9=1),
            by=clinician,
        )
        results = {delivery.deliver(pk) for pk in delivery.claim_due()}
    assert results == {"sent"}
    assert Nudge.objects.filter(template="risk_alert", status="sent").count() == 2


def test_the_lead_home_page_asks_for_a_duty_contact(client_for, lead):
    page = client_for(lead).get(reverse("core:home")).content.decode()
    assert "No duty contact for risk alerts" in page
    messages_page = client_for(lead).get(reverse("nudges:messages")).content.decode()
    assert "Messages to service users are off" in messages_page
    with_duty_contact(lead.organisation)
    page = client_for(lead).get(reverse("core:home")).content.decode()
    assert "No duty contact for risk alerts" not in page
    assert reverse("outcomes:risk_settings") in page  # the settings card


# --- The settings page --------------------------------------------------------------------

ROLES = {
    "lead": 200,
    "clinician": 403,
    "other_clinician": 403,
    "partnership": 403,
    "provider": 403,
    "admin": 403,
}


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_settings_page_by_role(cast, client_for, role, expected):
    client = client_for(cast[role])
    assert client.get(URL).status_code == expected
    response = client.post(
        URL, {"duty_contact_email": "x@nhs.net", "escalation_working_hours": 4, **SENDER}
    )
    assert response.status_code == (302 if expected == 200 else expected)
    assert OutcomeSettings.objects.filter(duty_contact_email="x@nhs.net").exists() == (
        expected == 200
    )


def test_settings_page_sends_anonymous_users_to_sign_in(db):
    for response in (Client().get(URL), Client().post(URL, {"duty_contact_email": "x@nhs.net"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not OutcomeSettings.objects.exists()


def test_a_lead_of_another_service_changes_only_their_own(client_for, lead):
    other_lead = ServiceLeadFactory(organisation=TalkingTherapiesServiceFactory())
    with_duty_contact(lead.organisation, "ours@nhs.net")
    client_for(other_lead).post(
        URL, {"duty_contact_email": "theirs@nhs.net", "escalation_working_hours": 8, **SENDER}
    )
    assert OutcomeSettings.objects.get(service=lead.organisation).duty_contact_email == (
        "ours@nhs.net"
    )
    assert (
        OutcomeSettings.objects.get(service=other_lead.organisation).escalation_working_hours == 8
    )
    page = client_for(other_lead).get(URL).content.decode()
    assert "theirs@nhs.net" in page and "ours@nhs.net" not in page


def test_saving_sets_the_duty_contact_and_hours_and_logs(client_for, lead):
    client = client_for(lead)
    page = client.get(URL).content.decode()
    assert "Messages to service users are off" in page and 'value="4"' in page
    response = client.post(
        URL,
        {
            "duty_contact_email": " Duty@Riverside.NHS.net ",
            "escalation_working_hours": "6",
            **SENDER,
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    saved = OutcomeSettings.objects.get(service=lead.organisation)
    assert (saved.duty_contact_email, saved.escalation_working_hours) == (
        "duty@riverside.nhs.net",
        6,
    )
    assert AccessLog.objects.filter(action="update", actor=lead).exists()
    assert "Messages to service users are off" not in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"duty_contact_email": "", "escalation_working_hours": "4"}, "Enter the duty contact"),
        (
            {"duty_contact_email": "not an email", "escalation_working_hours": "4"},
            "Enter an email address in the correct format",
        ),
        ({"duty_contact_email": "d@nhs.net", "escalation_working_hours": "0"}, "from 1 to 40"),
        ({"duty_contact_email": "d@nhs.net", "escalation_working_hours": "41"}, "from 1 to 40"),
        ({"duty_contact_email": "d@nhs.net", "escalation_working_hours": "four"}, "whole number"),
        ({"duty_contact_email": "d@nhs.net"}, "Enter the number of working hours"),
    ],
    ids=["no-email", "bad-email", "zero-hours", "too-many-hours", "words", "missing-hours"],
)
def test_bad_settings_are_refused_and_kept(client_for, lead, data, message):
    with_duty_contact(lead.organisation, "kept@nhs.net")
    response = client_for(lead).post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    saved = OutcomeSettings.objects.get(service=lead.organisation)
    assert (saved.duty_contact_email, saved.escalation_working_hours) == ("kept@nhs.net", 4)


def test_the_service_refuses_what_the_form_would(lead, clinician):
    with pytest.raises(OutcomeError, match="Enter the duty contact"):
        services.risk_settings_save(by=lead, duty_contact_email=" ", escalation_working_hours=4)
    with pytest.raises(OutcomeError, match="from 1 to 40"):
        services.risk_settings_save(
            by=lead, duty_contact_email="d@nhs.net", escalation_working_hours=0
        )
    with pytest.raises(OutcomeError, match="whole number"):
        services.risk_settings_save(
            by=lead, duty_contact_email="d@nhs.net", escalation_working_hours=True
        )
    with pytest.raises(PermissionDenied):
        services.risk_settings_save(
            by=clinician, duty_contact_email="d@nhs.net", escalation_working_hours=4
        )
    assert not OutcomeSettings.objects.exclude(duty_contact_email="").exists()


def test_the_demo_services_have_duty_contacts(db):
    for name in DUTY_CONTACTS:
        Organisation.objects.create(name=name, kind=Organisation.Kind.TALKING_THERAPIES)
    seed_duty_contacts()
    for name, email in DUTY_CONTACTS.items():
        assert OutcomeSettings.objects.get(service__name=name).duty_contact_email == email
    assert not services.duty_contact_missing(Organisation.objects.first().pk)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name messages come from"),
        ("Riverside Talking Therapies", "must not say what the service treats"),
        ("Hillside mental health team", "must not say what the service treats"),
        ("x" * 61, "60 characters or fewer"),
    ],
)
def test_a_sender_name_that_gives_the_service_away_is_refused(client_for, lead, name, message):
    with_duty_contact(lead.organisation)
    data = {"duty_contact_email": "d@nhs.net", "escalation_working_hours": "4"}
    response = client_for(lead).post(URL, {**data, "message_sender_name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    settings_ = OutcomeSettings.objects.get(service=lead.organisation)
    assert settings_.message_sender_name == "your NHS wellbeing team"


def test_the_lead_names_who_messages_come_from(client_for, lead):
    data = {"duty_contact_email": "d@nhs.net", "escalation_working_hours": "4"}
    page = client_for(lead).get(URL).content.decode()
    assert "your NHS wellbeing team" in page  # the default, ready to change
    response = client_for(lead).post(URL, {**data, "message_sender_name": " Riverside  wellbeing "})
    assert response.status_code == 302
    settings_ = OutcomeSettings.objects.get(service=lead.organisation)
    assert settings_.message_sender_name == "Riverside wellbeing"
