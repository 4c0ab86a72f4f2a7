"""The fixed cast every test uses: one user per role, signed in, with two-factor done where
the role needs it, plus an outsider from another service; the clinician's service user, the
activity they are referred to, and the clock. See tests/README.md."""

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from providers.reference_data import load_all
from tests import factories
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

# The day the dated fixtures assume: a Monday, in the financial year 2025/26.
FROZEN_AT = "2026-03-02 10:00Z"


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


@pytest.fixture(autouse=True)
def reference_data(request):
    """The Activity List and postcode centroids come from a data migration; a transactional
    test's flush removes them, so put them back (a no-op when they are there)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    load_all()


@pytest.fixture
def frozen():
    """The clock stopped at FROZEN_AT (`pytestmark = pytest.mark.usefixtures("frozen")`)."""
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


@pytest.fixture
def fresh_cache():
    """An empty cache before and after: rate limits and cached figures start from nothing."""
    cache.clear()
    yield
    cache.clear()


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


# --- The people and places most tests need ----------------------------------------------


@pytest.fixture
def provider(provider_organisation):
    """Riverside Leisure's listing, run by the cast's provider organisation: `provider_staff`
    answers its referrals."""
    return ProviderFactory(organisation=provider_organisation, name="Riverside Leisure")


@pytest.fixture
def activity(provider):
    """An activity at Riverside Leisure that takes referrals, by email and in the inbox."""
    return ActivityFactory(
        venue=VenueFactory(provider=provider),
        name="Beginners' walking group",
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )


@pytest.fixture
def person(clinician):
    """On the clinician's caseload and ready to refer: consent to share and to email, and a
    clear PAR-Q+ screening."""
    return ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, ready_to_refer=True
    )


@pytest.fixture
def sent_referral(person, activity):
    """The person's referral to the activity, sent by their clinician; not yet answered."""
    return ReferralFactory(sent=True, service_user=person, activity=activity)


# --- Rate-limit counts live in Redis, outside any test's transaction ----------------------


@pytest.fixture(autouse=True)
def _own_rate_limit_counts():
    """Each test counts from nothing: delete the rate limiter's keys (only those; the same
    Redis database holds the broker's queues)."""
    from talkingmoves.core.ratelimit import forget_all_counts

    forget_all_counts()
    yield
    forget_all_counts()
