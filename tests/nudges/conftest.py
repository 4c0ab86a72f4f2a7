import pytest

from referrals.pathway import services
from tests.factories import ProviderOrganisationFactory, with_duty_contact
from tests.providers.conftest import reference_data  # noqa: F401  (activity types for listings)
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ServiceUserFactory, with_consent_and_clear_screening


@pytest.fixture
def activity(db):
    provider = ProviderFactory(organisation=ProviderOrganisationFactory(), name="Riverside Leisure")
    return ActivityFactory(
        venue=VenueFactory(provider=provider),
        name="Beginners' walking group",
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )


@pytest.fixture
def person(clinician):
    """A service user with consent to share and to email, and a clear screening."""
    su = ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, given_name="Sam"
    )
    return with_consent_and_clear_screening(su, by=clinician)


@pytest.fixture
def sent_referral(person, activity, clinician):
    referral = services.referral_create(
        service_user=person, activity=activity, kind="refer", by=clinician
    )
    return services.referral_send(referral=referral, by=clinician)


@pytest.fixture(autouse=True)
def _service_has_a_duty_contact(request):
    """Only a service with a duty contact for risk alerts messages its service users."""
    if "service" in request.fixturenames:
        with_duty_contact(request.getfixturevalue("service"))
