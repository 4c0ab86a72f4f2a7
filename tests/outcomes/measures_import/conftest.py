"""Two people of the cast's service with NHS numbers, their episodes, and a duty contact."""

from datetime import date

import pytest

from tests.factories import with_duty_contact
from tests.outcomes.factories import EpisodeFactory
from tests.outcomes.measures_import.support import ALAN, GRACE
from tests.referrals.factories import ServiceUserFactory

DUTY = "duty@example.nhs.uk"


@pytest.fixture(autouse=True)
def _frozen(frozen):
    """2 March 2026 (tests/conftest.py): the dates in the files are before it."""


@pytest.fixture
def duty(service):
    return with_duty_contact(service, DUTY)


@pytest.fixture
def grace(clinician):
    return ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, nhs_number=GRACE
    )


@pytest.fixture
def grace_episode(grace):
    return EpisodeFactory(service_user=grace, referral_received_on=date(2026, 1, 5))


@pytest.fixture
def alan(clinician):
    return ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, nhs_number=ALAN
    )


@pytest.fixture
def alan_episode(alan):
    """Ended on 2 February 2026."""
    return EpisodeFactory(
        service_user=alan,
        referral_received_on=date(2026, 1, 5),
        ended_on=date(2026, 2, 2),
        ending_reason="46",
    )
