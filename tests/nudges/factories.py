"""Nudges for the tests. In real life the services schedule them as a referral changes (see
referrals.nudges.services); build one directly only to test how it is shown or sent."""

from datetime import timedelta

import factory
from django.utils import timezone

from referrals.nudges.models import Nudge
from referrals.pathway import services
from tests.factories import ProviderStaffFactory
from tests.referrals.factories import ServiceUserFactory


class NudgeFactory(factory.django.DjangoModelFactory):
    """A "Did you manage to go?" message to a service user, sent an hour ago."""

    class Meta:
        model = Nudge

    service_user = factory.SubFactory(ServiceUserFactory)
    service = factory.SelfAttribute("service_user.service")
    audience = Nudge.Audience.SERVICE_USER
    template = "did_you_go"
    status = Nudge.Status.SENT
    due_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


def did_you_go(referral) -> Nudge:
    """The "Did you manage to go?" message that sending or signposting scheduled."""
    return referral.nudges.get(template="did_you_go")


def accept(referral):
    """The provider accepts, with the first session in three days."""
    provider_user = ProviderStaffFactory(organisation=referral.activity.provider.organisation)
    return services.referral_accept(
        referral=referral, by=provider_user, first_session_at=timezone.now() + timedelta(days=3)
    )
