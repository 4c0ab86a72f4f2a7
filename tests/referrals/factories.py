"""Service users, their screening and their referrals.

A referral's state is reached through `referrals.pathway.services`, as in real life, so the
history, timestamps and scheduled messages are the ones the services write. Plain
`ReferralFactory(status=...)` writes the row directly with no history: for selectors that need
exact dates, where the rest does not matter.
"""

import factory
from django.utils import timezone

from referrals.models import Attendance, Referral, Screening, ServiceUser
from referrals.pathway import services
from tests.factories import ClinicianFactory, ProviderStaffFactory, TalkingTherapiesServiceFactory
from tests.providers.factories import ActivityFactory

CLEAR_ANSWERS = {f"q{n}": False for n in range(1, 8)}


class ScreeningFactory(factory.django.DjangoModelFactory):
    """PAR-Q+ with every answer "no": cleared to start gradually."""

    class Meta:
        model = Screening

    class Params:
        # "Yes" to question 2 (chest pain at rest), and nothing agreed about it yet.
        advice_needed = factory.Trait(
            answers=factory.LazyFunction(lambda: {f"q{n}": n == 2 for n in range(1, 8)}),
            outcome=Screening.Outcome.ADVICE_NEEDED,
        )

    service_user = factory.SubFactory("tests.referrals.factories.ServiceUserFactory")
    answers = factory.LazyFunction(lambda: dict(CLEAR_ANSWERS))
    outcome = Screening.Outcome.CLEAR
    recorded_by = factory.SelfAttribute("service_user.assigned_clinician")


def _consent(channel: str) -> factory.Trait:
    """Consent recorded now by the person's clinician."""
    return factory.Trait(
        **{
            f"consent_{channel}_at": factory.LazyFunction(timezone.now),
            f"consent_{channel}_by": factory.SelfAttribute("assigned_clinician"),
        }
    )


class ServiceUserFactory(factory.django.DjangoModelFactory):
    """Someone in a Talking Therapies service, with no consent recorded and no screening."""

    class Meta:
        model = ServiceUser
        skip_postgeneration_save = True

    class Params:
        with_share_consent = _consent("share")
        with_email_consent = _consent("email")
        with_sms_consent = _consent("sms")
        # What sending a referral needs: consent to share (and to email, for the messages
        # about it) and a clear PAR-Q+ screening, all recorded by their clinician.
        ready_to_refer = factory.Trait(
            with_share_consent=True,
            with_email_consent=True,
            clear_screening=factory.RelatedFactory(ScreeningFactory, "service_user"),
        )

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
    """For a person made elsewhere: what `ServiceUserFactory(ready_to_refer=True)` gives."""
    now = timezone.now()
    ServiceUser.objects.filter(pk=service_user.pk).update(
        consent_share_at=now, consent_share_by=by, consent_email_at=now, consent_email_by=by
    )
    ScreeningFactory(service_user=service_user, recorded_by=by)
    service_user.refresh_from_db()
    return service_user


def _walk(referral, create, extracted, *, moves=(), answered_by=None, first_session=None):
    """Make the trait's moves through the services, as the clinician and the provider would."""
    if not create or not moves:
        return
    provider_user = None
    if {"accept", "attend", "decline"} & set(moves):
        organisation = referral.activity.provider.organisation
        if answered_by is None and organisation is None:
            raise ValueError(
                "Answering needs the provider's staff: pass answered_by=, or an activity made "
                "with ActivityFactory(for_referrals=True)"
            )
        provider_user = answered_by or ProviderStaffFactory(organisation=organisation)
    for move in moves:
        if move == "send":
            services.referral_send(referral=referral, by=referral.created_by)
        elif move == "accept":
            services.referral_accept(
                referral=referral, by=provider_user, first_session_at=first_session
            )
        elif move == "attend":
            services.attendance_record(
                referral=referral,
                session_date=timezone.localdate(),
                status=Attendance.Status.ATTENDED,
                by=provider_user,
            )
        elif move == "decline":
            services.referral_decline(referral=referral, by=provider_user, reason="full")
    referral.refresh_from_db()


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral of a service user who is ready to refer, to an activity that takes them.

    The state traits go through the services (each move writes its ReferralEvent):

    - `draft=True`: created by the person's clinician, not sent;
    - `sent=True`: created and sent by the person's clinician;
    - `accepted=True`: then accepted by `answered_by` (default: a new member of the provider's
      staff), with the first session at `first_session` (default: not yet known);
    - `attending=True`: then one session attended today, recorded by the same person;
    - `declined=True`: sent, then declined by the provider as full;
    - `signposted=True`: a signposting record (nothing is shared with the provider).

    Details for the provider (`goal=`, `what_they_would_enjoy=`, ...) are passed to
    `referral_create`; any other field with a trait is an error, as the services set it.
    """

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    class Params:
        answered_by = None
        first_session = None
        moves = ()
        draft = factory.Trait(via_services=True)
        sent = factory.Trait(via_services=True, moves=("send",))
        accepted = factory.Trait(via_services=True, moves=("send", "accept"))
        attending = factory.Trait(via_services=True, moves=("send", "accept", "attend"))
        declined = factory.Trait(via_services=True, moves=("send", "decline"))
        signposted = factory.Trait(via_services=True, kind=Referral.Kind.SIGNPOST)

    # Not a model field: True creates the referral through `services.referral_create`.
    via_services = False
    service_user = factory.SubFactory(ServiceUserFactory, ready_to_refer=True)
    service = factory.SelfAttribute("service_user.service")
    activity = factory.SubFactory(ActivityFactory, for_referrals=True)
    kind = Referral.Kind.REFER
    status = Referral.Status.DRAFT
    created_by = factory.SelfAttribute("service_user.assigned_clinician")

    pathway = factory.PostGeneration(_walk)
    pathway__moves = factory.SelfAttribute("..moves")
    pathway__answered_by = factory.SelfAttribute("..answered_by")
    pathway__first_session = factory.SelfAttribute("..first_session")

    @classmethod
    def _build(cls, model_class, *args, via_services=False, **kwargs):
        if via_services:
            raise TypeError("A referral in a state is made through the services: use create()")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, via_services=False, **kwargs):
        if not via_services:
            return super()._create(model_class, *args, **kwargs)
        kwargs.pop("service")  # the services copy the person's
        kwargs.pop("status")  # and decide the status
        return services.referral_create(by=kwargs.pop("created_by"), **kwargs)
