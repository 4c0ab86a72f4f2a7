import pytest

from tests.factories import with_duty_contact


@pytest.fixture(autouse=True)
def _service_has_a_duty_contact(request):
    """Only a service with a duty contact for risk alerts messages its service users."""
    if "service" in request.fixturenames:
        with_duty_contact(request.getfixturevalue("service"))
