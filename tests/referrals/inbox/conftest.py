"""The provider's inbox and signed link: a sent referral of someone whose clinical details are
all recorded, so the tests can show none of them reaches the provider."""

from datetime import date

import pytest

from referrals.models import Screening
from tests.referrals.factories import ReferralFactory, ServiceUserFactory
from tests.referrals.inbox.clinical import NHS_NUMBER, PRESENTING


@pytest.fixture
def person(clinician):
    # Overrides the person in tests/conftest.py: every clinical detail is filled in, and the
    # screening answers hold a marker, for assert_nothing_clinical to look for.
    person = ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        given_name="Alex",
        family_name="Moss",
        nhs_number=NHS_NUMBER,
        date_of_birth=date(1987, 6, 5),
        presenting_problem=PRESENTING,
        email="alex@example.com",
        mobile="07700900456",
        preferred_contact="sms",
        ready_to_refer=True,
    )
    Screening.objects.filter(service_user=person).update(
        answers={"q1": False, "q2": "SCREENSECRET"}
    )
    return person


@pytest.fixture
def sent(person, activity):
    """Sent with the details a provider is given."""
    return ReferralFactory(
        sent=True,
        service_user=person,
        activity=activity,
        what_they_would_enjoy="Swimming with others",
        goal="Swim twice a week",
        needs_for_provider="Prefers a quiet lane",
        accompanied_first_visit=True,
    )
