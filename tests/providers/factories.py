from datetime import time

import factory
from django.utils import timezone

from providers.models import Activity, ActivityType, Provider, Venue, WeeklySlot
from tests.factories import ActivePartnershipFactory


def activity_type(label: str = "Walking") -> ActivityType:
    return ActivityType.objects.get(label=label)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider listing {n}")
    partnership = factory.SubFactory(ActivePartnershipFactory)
    email = "hello@example.org.uk"
    last_verified_at = factory.LazyFunction(timezone.now)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    address_line_1 = "1 Park Road"
    town = "Leeds"
    postcode = "LS1 4AP"
    latitude = 53.7974
    longitude = -1.5438
    last_verified_at = factory.LazyFunction(timezone.now)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    provider = factory.SelfAttribute("venue.provider")
    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Activity {n}")
    activity_type = factory.LazyFunction(activity_type)
    description = "A friendly session for all abilities."
    is_free = True
    last_verified_at = factory.LazyFunction(timezone.now)


class WeeklySlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklySlot

    activity = factory.SubFactory(ActivityFactory)
    weekday = 1
    start_time = time(10, 0)
    end_time = time(11, 0)
