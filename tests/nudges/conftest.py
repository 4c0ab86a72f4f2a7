import pytest

from tests.factories import with_duty_contact
from tests.referrals.factories import ServiceUserFactory


@pytest.fixture(autouse=True)
def _service_has_a_duty_contact(request):
    """Only a service with a duty contact for risk alerts messages its service users."""
    if "service" in request.fixturenames:
        with_duty_contact(request.getfixturevalue("service"))


@pytest.fixture
def stranger(other_clinician):
    """Someone in the other service: their messages are not the lead's to see."""
    return ServiceUserFactory(
        service=other_clinician.organisation, assigned_clinician=other_clinician
    )
