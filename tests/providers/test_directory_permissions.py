"""Every directory page against every role. Anonymous users are covered for all URLs by
tests/accounts/test_access.py."""

import pytest
from django.urls import reverse

from providers.models import Provider
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory

ROLES = ["clinician", "lead", "partnership", "provider", "admin"]
READ = {"clinician": 200, "lead": 200, "partnership": 200, "provider": 200, "admin": 403}
# Lead: 404, because a partnership's listing is not one of the service's in-house offers.
EDIT = {"clinician": 403, "lead": 404, "partnership": 200, "provider": 200, "admin": 403}


@pytest.fixture
def activity(partnership, provider_organisation):
    # Overrides the activity in tests/conftest.py: listed in the cast partnership's area, so
    # its staff are the ones who may edit it.
    provider = ProviderFactory(partnership=partnership, organisation=provider_organisation)
    return ActivityFactory(venue=VenueFactory(provider=provider))


def _pages(activity):
    provider, venue = activity.provider, activity.venue
    return {
        "provider_detail": (reverse("providers:provider_detail", args=[provider.public_id]), READ),
        "venue_detail": (reverse("providers:venue_detail", args=[venue.public_id]), READ),
        "activity_detail": (reverse("providers:activity_detail", args=[activity.public_id]), READ),
        "provider_edit": (reverse("providers:provider_edit", args=[provider.public_id]), EDIT),
        "venue_create": (reverse("providers:venue_create", args=[provider.public_id]), EDIT),
        "venue_edit": (reverse("providers:venue_edit", args=[venue.public_id]), EDIT),
        "activity_create": (reverse("providers:activity_create", args=[provider.public_id]), EDIT),
        "activity_edit": (reverse("providers:activity_edit", args=[activity.public_id]), EDIT),
        "shortlist": (
            reverse("providers:shortlist"),
            {**READ, "provider": 403},  # providers do not search for people
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page",
    [
        "provider_detail",
        "venue_detail",
        "activity_detail",
        "provider_edit",
        "venue_create",
        "venue_edit",
        "activity_create",
        "activity_edit",
        "shortlist",
    ],
)
def test_directory_page_by_role(cast, client_for, activity, role, page):
    url, expected = _pages(activity)[page]
    assert client_for(cast[role]).get(url).status_code == expected[role]


@pytest.mark.parametrize("page", ["provider_detail", "venue_detail", "activity_detail"])
def test_unknown_listing_is_404(client_for, partnership_staff, page):
    url = reverse(f"providers:{page}", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(partnership_staff).get(url).status_code == 404


def test_provider_form_bad_input_is_explained_and_kept(client_for, partnership_staff, activity):
    provider = activity.provider
    url = reverse("providers:provider_edit", args=[provider.public_id])
    response = client_for(partnership_staff).post(
        url, {"name": "", "website": "not a web address", "phone": "0113 496 0000"}
    )
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter the provider&#x27;s name" in content
    assert "Enter a web address" in content
    assert 'value="0113 496 0000"' in content
    assert Provider.objects.get(pk=provider.pk).name == provider.name
