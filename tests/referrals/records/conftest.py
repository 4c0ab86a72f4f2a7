"""The service-user record tests start from someone with no consent and no screening: the
tests record those themselves."""

import pytest

from tests.referrals.factories import ScreeningFactory, ServiceUserFactory


@pytest.fixture
def person(clinician):
    # Overrides the ready-to-refer person in tests/conftest.py: consent and screening are
    # what these pages record, so none is there yet.
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        nhs_number="9876543210",
        given_name="Grace",
        family_name="Hopper",
    )


@pytest.fixture
def screening(person):
    """A PAR-Q+ with one "yes", so advice is needed and nothing is agreed yet."""
    return ScreeningFactory(service_user=person, advice_needed=True)
