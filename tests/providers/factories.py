"""Directory listings. Every factory here takes `archived=True` (taken down: kept for history,
shown nowhere public); activities also take `online=True` and `for_referrals=True`."""

from datetime import time

import factory
from django.utils import timezone

from providers.models import Activity, ActivityType, Provider, Venue, WeeklySlot
from tests.factories import ActivePartnershipFactory, ProviderOrganisationFactory


def activity_type(label: str = "Walking") -> ActivityType:
    return ActivityType.objects.get(label=label)


class ListingFactory(factory.django.DjangoModelFactory):
    """What providers, venues and activities share: checked today, not archived."""

    class Meta:
        abstract = True

    class Params:
        archived = factory.Trait(archived_at=factory.LazyFunction(timezone.now))

    last_verified_at = factory.LazyFunction(timezone.now)


class ProviderFactory(ListingFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider listing {n}")
    partnership = factory.SubFactory(ActivePartnershipFactory)
    email = "hello@example.org.uk"


class VenueFactory(ListingFactory):
    class Meta:
        model = Venue

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    address_line_1 = "1 Park Road"
    town = "Leeds"
    postcode = "LS1 4AP"
    latitude = 53.7974
    longitude = -1.5438


class ActivityFactory(ListingFactory):
    """An in-person, free, signpost-only activity at a venue in Leeds city centre."""

    class Meta:
        model = Activity

    class Params:
        # Online only: no venue, so the provider is made directly.
        online = factory.Trait(
            venue=None,
            provider=factory.SubFactory(ProviderFactory),
            delivery_mode=Activity.DeliveryMode.ONLINE,
        )
        # Takes referrals, from a provider organisation whose staff answer them in the inbox
        # (a provider without one answers only through the emailed link).
        for_referrals = factory.Trait(
            takes_referrals=True,
            referral_email="referrals@example.org",
            venue__provider__organisation=factory.SubFactory(ProviderOrganisationFactory),
        )

    provider = factory.SelfAttribute("venue.provider")
    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Activity {n}")
    activity_type = factory.LazyFunction(activity_type)
    description = "A friendly session for all abilities."
    is_free = True


class WeeklySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklySlot

    activity = factory.SubFactory(ActivityFactory)
    weekday = 1
    start_time = time(10, 0)
    end_time = time(11, 0)
