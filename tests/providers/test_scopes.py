"""`editable_rows` (a page's rows, joined to their providers) gives each role exactly the
listings `editable` (the providers' ids read first) does."""

import pytest

from providers.models import Activity, Provider, Venue
from providers.scopes import editable, editable_rows
from tests.factories import ActivePartnershipFactory
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory


@pytest.fixture
def directory(partnership, provider_organisation, service):
    """A listing for each kind of owner: the cast's partnership, another partnership, the
    provider organisation, the lead's service (an in-house offer), and nobody."""
    owners = [
        ProviderFactory(partnership=partnership),
        ProviderFactory(partnership=ActivePartnershipFactory()),
        ProviderFactory(organisation=provider_organisation),
        ProviderFactory(organisation=service),
        ProviderFactory(),
    ]
    for provider in owners:
        ActivityFactory(provider=provider, venue=VenueFactory(provider=provider))


@pytest.mark.parametrize(
    "role", ["clinician", "other_clinician", "lead", "partnership", "provider", "admin"]
)
@pytest.mark.parametrize("model", [Activity, Venue, Provider])
def test_the_rows_of_a_page_are_scoped_as_the_page_is(cast, directory, role, model):
    user = cast[role]
    everything = list(model.objects.values_list("pk", flat=True))
    expected = set(editable(user, model).values_list("pk", flat=True))
    rows = set(editable_rows(user, model).filter(pk__in=everything).values_list("pk", flat=True))
    assert rows == expected
    # Someone sees some of the directory and not all of it, except the administrator.
    if role == "admin":
        assert rows == set(everything)
    elif role in ("partnership", "provider", "lead"):
        assert rows and rows != set(everything)
    else:
        assert rows == set()
