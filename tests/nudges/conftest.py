import pytest

from tests.referrals.factories import ServiceUserFactory


@pytest.fixture
def stranger(other_clinician):
    """Someone in the other service: their messages are not the lead's to see."""
    return ServiceUserFactory(
        service=other_clinician.organisation, assigned_clinician=other_clinician
    )
