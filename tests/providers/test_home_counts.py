from datetime import timedelta

from django.utils import timezone

from providers.models import Activity
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory


def test_partnership_home_shows_its_real_listing_counts(client_for, partnership_staff, partnership):
    venue = VenueFactory(provider=ProviderFactory(partnership=partnership))
    ActivityFactory(venue=venue)
    stale = ActivityFactory(venue=venue)
    Activity.objects.filter(pk=stale.pk).update(
        last_verified_at=timezone.now() - timedelta(days=300)
    )
    ActivityFactory()  # another partnership's
    content = client_for(partnership_staff).get("/").content.decode()
    assert "2 live activities, 1 needs checking" in content


def test_provider_home_counts_only_its_own_listings(client_for, provider_staff):
    provider = ProviderFactory(organisation=provider_staff.organisation)
    ActivityFactory(venue=VenueFactory(provider=provider))
    ActivityFactory()
    assert "1 live activity." in client_for(provider_staff).get("/").content.decode()
