"""Fixtures and factories shared by the service-user record tests (no tests here)."""

import pytest

from referrals.models import Screening
from tests.referrals.factories import ServiceUserFactory

VALID_NHS = "9434765919"  # Modulus 11 valid, synthetic range
OTHER_VALID_NHS = "4000000632"


def advice_needed_screening(person, *, by) -> Screening:
    answers = {f"q{n}": n == 2 for n in range(1, 8)}
    return Screening.objects.create(
        service_user=person, answers=answers, outcome="advice_needed", recorded_by=by
    )


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


@pytest.fixture(name="person")
def person_fixture(clinician):
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        nhs_number="9876543210",
        given_name="Grace",
        family_name="Hopper",
    )
