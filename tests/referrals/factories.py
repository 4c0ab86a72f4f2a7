import factory
from django.utils import timezone

from referrals.models import Referral, Screening, ServiceUser
from tests.factories import ClinicianFactory, TalkingTherapiesServiceFactory

CLEAR_ANSWERS = {f"q{n}": False for n in range(1, 8)}


class ServiceUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUser

    service = factory.SubFactory(TalkingTherapiesServiceFactory)
    assigned_clinician = factory.SubFactory(
        ClinicianFactory, organisation=factory.SelfAttribute("..service")
    )
    nhs_number = factory.Sequence(lambda n: ["9876543210", "4000000632", "9434765919"][n % 3])
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    postcode = "LS1 4AP"
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    mobile = "07700900123"


def with_consent_and_clear_screening(service_user, *, by):
    now = timezone.now()
    ServiceUser.objects.filter(pk=service_user.pk).update(
        consent_share_at=now, consent_share_by=by, consent_email_at=now, consent_email_by=by
    )
    Screening.objects.create(
        service_user=service_user, answers=CLEAR_ANSWERS, outcome="clear", recorded_by=by
    )
    service_user.refresh_from_db()
    return service_user


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    service_user = factory.SubFactory(ServiceUserFactory)
    service = factory.SelfAttribute("service_user.service")
    kind = Referral.Kind.REFER
    status = Referral.Status.DRAFT
    created_by = factory.SelfAttribute("service_user.assigned_clinician")
