"""Adding and changing a service user's details: good input saved, bad input kept and
explained, nothing saved."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from referrals.models import ServiceUser
from talkingmoves.audit.models import AccessLog

pytestmark = pytest.mark.usefixtures("frozen")

ADD = "referrals:service_user_add"
VALID_NHS = "9434765919"  # Modulus 11 valid, synthetic range


def form_data(clinician, **overrides) -> dict:
    """A complete, valid POST for the service-user form."""
    data = {
        "nhs_number": "943 476 5919",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth-day": "10",
        "date_of_birth-month": "12",
        "date_of_birth-year": "1985",
        "postcode": "ls1 4ap",
        "email": "ada@example.com",
        "mobile": "07700 900 982",
        "preferred_contact": "email",
        "gender": "2",
        "ethnic_category": "A",
        "has_disability_or_ltc": "yes",
        "disability_or_ltc_details": "Asthma",
        "presenting_problem": "Low mood",
        "step": "2",
        "barriers": ["cost", "confidence"],
        "prefers_delivery": "in_person",
        "prefers_format": "either",
        "prefers_cost": "free",
        "max_travel_km": "5",
        "preferred_days": ["0", "5"],
        "preferred_times": ["morning"],
        "accessibility_needs": ["step_free"],
        "assigned_clinician": str(clinician.pk),
    }
    data.update(overrides)
    return data


def test_add_saves_every_detail(client_for, clinician):
    response = client_for(clinician).post(reverse(ADD), form_data(clinician))
    person = ServiceUser.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:record", args=[person.public_id])
    assert person.service == clinician.organisation
    assert person.nhs_number == VALID_NHS
    assert person.nhs_number_display == "943 476 5919"
    assert person.postcode == "LS1 4AP"
    assert person.mobile == "07700900982"
    assert person.has_disability_or_ltc is True
    assert person.prefers_format == ""
    assert person.prefers_cost == "free"
    assert person.preferred_days == [0, 5]
    assert person.barriers == ["cost", "confidence"]
    assert person.accessibility_needs == ["step_free"]
    assert person.assigned_clinician == clinician
    assert AccessLog.objects.filter(action="create", object_id=str(person.public_id)).exists()


def test_add_form_shows_interest_checkboxes(client_for, clinician):
    page = client_for(clinician).get(reverse(ADD)).content.decode()
    assert 'name="interests"' in page and "Walking" in page


def test_interests_store_activity_type_identifiers(client_for, clinician):
    from providers.activity_types import common_interest_choices

    walking = dict((label, ident) for ident, label in common_interest_choices())["Walking"]
    client_for(clinician).post(reverse(ADD), form_data(clinician, interests=[walking]))
    assert ServiceUser.objects.get().interests == [walking]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("nhs_number", "943 476 5918", "Enter a valid NHS number"),
        ("nhs_number", "12345", "NHS number must be 10 digits"),
        ("nhs_number", "", "Enter the service user&#x27;s NHS number"),
        ("date_of_birth-year", "2027", "Date of birth must be today or in the past"),
        ("date_of_birth-year", "2015", "must be 16 or older"),
        ("date_of_birth-month", "13", "Date of birth must be a real date"),
        ("postcode", "LS1 4A!", "Postcode must only include letters and numbers"),
        ("postcode", "LS1", "Enter a real postcode"),
        ("mobile", "01632 960 001", "Enter a UK mobile number"),
        ("email", "ada-at-example", "Enter an email address in the correct format"),
        ("given_name", "", "Enter the service user&#x27;s first name"),
        ("max_travel_km", "500", "Distance must be 100 kilometres or less"),
    ],
)
def test_bad_input_is_explained_kept_and_not_saved(client_for, clinician, field, value, message):
    data = form_data(clinician, **{field: value, "given_name": "Typed name"})
    if field == "given_name":
        data["given_name"] = value
    response = client_for(clinician).post(reverse(ADD), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert page.count(message) >= 2  # in the summary and beside the field
    assert "<title>Error: " in page
    # What was typed is still there.
    assert 'value="Lovelace"' in page
    assert 'value="07700 900 982"' in page or field == "mobile"
    assert "Asthma" in page and 'value="step_free" checked' in page
    if value:
        assert f'value="{value}"' in page
    assert not ServiceUser.objects.exists()


def test_preferred_channel_needs_its_contact_detail(client_for, clinician):
    data = form_data(clinician, preferred_contact="sms", mobile="")
    response = client_for(clinician).post(reverse(ADD), data)
    assert (
        "Enter a mobile number, or choose another way to contact them" in response.content.decode()
    )
    assert not ServiceUser.objects.exists()


def test_assigned_clinician_must_be_a_colleague(client_for, clinician, other_clinician):
    data = form_data(clinician, assigned_clinician=str(other_clinician.pk))
    response = client_for(clinician).post(reverse(ADD), data)
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not ServiceUser.objects.exists()


def test_assigned_clinician_choices_are_the_service_only(
    client_for, clinician, other_clinician, lead
):
    page = client_for(clinician).get(reverse(ADD)).content.decode()
    assert escape(str(lead)) in page and escape(str(other_clinician)) not in page


class TestDuplicateNhsNumber:
    def test_warns_and_saves_nothing(self, client_for, clinician, person):
        data = form_data(clinician, nhs_number="987 654 3210")
        response = client_for(clinician).post(reverse(ADD), data)
        page = response.content.decode()
        assert "already has a record with this NHS number" in page
        assert "This NHS number is already on your service" in page
        assert reverse("referrals:record", args=[person.public_id]) in page
        assert 'name="confirm_duplicate"' in page
        assert ServiceUser.objects.count() == 1

    def test_clinician_can_continue_on_purpose(self, client_for, clinician, person):
        data = form_data(clinician, nhs_number="9876543210", confirm_duplicate="on")
        response = client_for(clinician).post(reverse(ADD), data)
        assert response.status_code == 302
        assert ServiceUser.objects.filter(nhs_number="9876543210").count() == 2

    def test_another_service_is_not_a_duplicate(self, client_for, other_clinician, person):
        data = form_data(other_clinician, nhs_number="9876543210")
        response = client_for(other_clinician).post(reverse(ADD), data)
        assert response.status_code == 302

    def test_editing_yourself_is_not_a_duplicate(self, client_for, clinician, person):
        url = reverse("referrals:service_user_edit", args=[person.public_id])
        response = client_for(clinician).post(url, form_data(clinician, nhs_number="9876543210"))
        assert response.status_code == 302


def test_edit_shows_current_values_and_saves(client_for, clinician, person):
    url = reverse("referrals:service_user_edit", args=[person.public_id])
    client = client_for(clinician)
    page = client.get(url).content.decode()
    assert 'value="987 654 3210"' in page and 'value="Grace"' in page
    response = client.post(url, form_data(clinician, nhs_number="9876543210", given_name="G"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "G" and person.family_name == "Lovelace"
    assert AccessLog.objects.filter(action="update", object_id=str(person.public_id)).exists()


def test_edit_bad_input_changes_nothing(client_for, clinician, person):
    url = reverse("referrals:service_user_edit", args=[person.public_id])
    data = form_data(clinician, nhs_number="9876543210", mobile="12")
    response = client_for(clinician).post(url, data)
    assert response.status_code == 200
    assert "Enter a UK mobile number" in response.content.decode()
    person.refresh_from_db()
    assert person.family_name == "Hopper" and person.mobile == "07700900123"
