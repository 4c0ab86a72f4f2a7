import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.models import Organisation, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"
# base32 JBSWY3DPEHPK3PXP, the published demo secret
TOTP_KEY_HEX = "48656c6c6f21deadbeef"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.TALKING_THERAPIES


class TalkingTherapiesServiceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Service {n} NHS Talking Therapies")
    kind = Organisation.Kind.TALKING_THERAPIES


class ActivePartnershipFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Active Partnership {n}")
    kind = Organisation.Kind.ACTIVE_PARTNERSHIP


class ProviderOrganisationFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Provider {n}")
    kind = Organisation.Kind.PROVIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.nhs.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.CLINICIAN
    organisation = factory.SubFactory(TalkingTherapiesServiceFactory)
    password = factory.django.Password(TEST_PASSWORD)


class ClinicianFactory(UserFactory):
    role = Role.CLINICIAN


class ServiceLeadFactory(UserFactory):
    role = Role.SERVICE_LEAD


class PartnershipStaffFactory(UserFactory):
    role = Role.PARTNERSHIP_STAFF
    organisation = factory.SubFactory(ActivePartnershipFactory)


class ProviderStaffFactory(UserFactory):
    role = Role.PROVIDER_STAFF
    organisation = factory.SubFactory(ProviderOrganisationFactory)


class AdminFactory(UserFactory):
    role = ""
    organisation = None
    is_superuser = True
    is_staff = True


def totp_device_for(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"key": TOTP_KEY_HEX, "confirmed": True}
    )
    return device


def with_duty_contact(service, email: str = "duty@example.nhs.uk"):
    """A service that may message its service users: it has a duty contact for risk alerts
    (outcomes/services/alerts.py). Returns the service's outcome settings."""
    from outcomes.models import OutcomeSettings

    settings_, _ = OutcomeSettings.objects.update_or_create(
        service=service, defaults={"duty_contact_email": email}
    )
    return settings_
