"""The fixed cast every test uses: one user per role, signed in, with two-factor done where
the role needs it, plus an outsider from another service."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests import factories


def signed_in_client(user, *, verified: bool = True) -> Client:
    client = Client()
    client.force_login(user)
    if verified and user.needs_two_factor:
        device = factories.totp_device_for(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture(autouse=True)
def _messages_through_the_gateway(settings):
    # pytest-django swaps in Django's locmem email backend; use ours, which stores each
    # message as the local gateway would, so tests see what would be sent.
    settings.EMAIL_BACKEND = "talkingmoves.notify.mail.GatewayEmailBackend"


@pytest.fixture
def service(db):
    return factories.TalkingTherapiesServiceFactory(name="Riverside NHS Talking Therapies")


@pytest.fixture
def other_service(db):
    return factories.TalkingTherapiesServiceFactory(name="Hillside NHS Talking Therapies")


@pytest.fixture
def partnership(db):
    return factories.ActivePartnershipFactory(name="Active Riverside")


@pytest.fixture
def provider_organisation(db):
    return factories.ProviderOrganisationFactory(name="Riverside Leisure Centre")


@pytest.fixture
def clinician(service):
    return factories.ClinicianFactory(organisation=service, email="clinician@example.nhs.uk")


@pytest.fixture
def other_clinician(other_service):
    return factories.ClinicianFactory(organisation=other_service, email="other@example.nhs.uk")


@pytest.fixture
def lead(service):
    return factories.ServiceLeadFactory(organisation=service, email="lead@example.nhs.uk")


@pytest.fixture
def partnership_staff(partnership):
    return factories.PartnershipStaffFactory(
        organisation=partnership, email="officer@example.org.uk"
    )


@pytest.fixture
def provider_staff(provider_organisation):
    return factories.ProviderStaffFactory(
        organisation=provider_organisation, email="provider@example.org.uk"
    )


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory(email="admin@example.nhs.uk")


@pytest.fixture
def cast(clinician, other_clinician, lead, partnership_staff, provider_staff, admin_user):
    """Every role, by name."""
    return {
        "clinician": clinician,
        "other_clinician": other_clinician,
        "lead": lead,
        "partnership": partnership_staff,
        "provider": provider_staff,
        "admin": admin_user,
    }


@pytest.fixture
def client_for():
    return signed_in_client
