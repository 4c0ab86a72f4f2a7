"""The partnership's list of listings pages by cursor (issue 14): stale first across pages,
filters kept in the links, and a cursor that is not ours gives the first page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers import views
from providers.models import Activity
from talkingmoves.core import keyset
from tests.keyset_links import link
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory

LIST = reverse("providers:list")


@pytest.fixture
def seven(partnership, monkeypatch):
    """Seven listings of the partnership: two never checked, two checked long ago (stale),
    three checked last week; pages of three."""
    monkeypatch.setattr(views, "LISTINGS_PER_PAGE", 3)
    venue = VenueFactory(provider=ProviderFactory(partnership=partnership))
    now = timezone.now()
    checked = [None, None, now - timedelta(days=400), now - timedelta(days=300)]
    checked += [now - timedelta(days=7)] * 3
    made = []
    for n, when in enumerate(checked):
        activity = ActivityFactory(venue=venue, name=f"Listing {n}")
        Activity.objects.filter(pk=activity.pk).update(last_verified_at=when)
        made.append(activity)
    return made


def _names(html):
    return [part.split("<")[0] for part in html.split('">Listing ')[1:]]


def _walk(client, query=""):
    pages = []
    while query is not None:
        html = client.get(f"{LIST}?{query}").content.decode()
        pages.append(_names(html))
        query = link(html, "next")
    return pages


def test_pages_keep_stale_first_order(client_for, partnership_staff, seven):
    pages = _walk(client_for(partnership_staff))
    # Oldest check first, never checked after them, then the rest by name.
    assert pages == [["2", "3", "0"], ["1", "4", "5"], ["6"]]


def test_previous_goes_back(client_for, partnership_staff, seven):
    client = client_for(partnership_staff)
    first = client.get(LIST).content.decode()
    second = client.get(f"{LIST}?{link(first, 'next')}").content.decode()
    back = client.get(f"{LIST}?{link(second, 'prev')}").content.decode()
    assert _names(back) == _names(first) and link(back, "prev") is None


def test_filters_are_kept_in_the_links(client_for, partnership_staff, seven):
    pages = _walk(client_for(partnership_staff), "status=needs_checking")
    assert pages == [["2", "3", "0"], ["1"]]


@pytest.mark.parametrize(
    "cursor",
    ["garbage", keyset.encode([0, "yesterday", "Listing 1", "not-a-uuid"]), keyset.encode([])],
)
def test_a_cursor_that_is_not_ours_gives_the_first_page(
    client_for, partnership_staff, seven, cursor
):
    client = client_for(partnership_staff)
    response = client.get(LIST, {"after": cursor})
    assert response.status_code == 200
    assert _names(response.content.decode()) == ["2", "3", "0"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 403), ("lead", 200), ("partnership", 200), ("provider", 200), ("admin", 403)],
)
def test_paged_list_permissions(cast, client_for, role, expected):
    assert client_for(cast[role]).get(LIST, {"after": "garbage"}).status_code == expected


def test_the_page_is_chosen_before_its_rows_are_joined(
    client_for, partnership, partnership_staff, seven
):
    """The sort reads the listings (and their feed), not every provider and venue in the
    directory; the page's three rows then show their provider, venue and type."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    online = ActivityFactory(
        provider=ProviderFactory(partnership=partnership, name="Moves Online"),
        venue=None,
        delivery_mode="online",
        name="Listing 7",
    )
    Activity.objects.filter(pk=online.pk).update(last_verified_at=None)
    client = client_for(partnership_staff)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(LIST).content.decode()
    (sort,) = [q["sql"] for q in queries.captured_queries if "LIMIT 4" in q["sql"]]
    assert "providers_venue" not in sort and 'providers_provider"' not in sort.split("WHERE")[0]
    assert _names(html) == ["2", "3", "0"]
    venue = seven[0].venue
    assert venue.name in html and venue.provider.name in html
    assert seven[0].activity_type.label in html
    # Searching by what only the joined rows hold still finds them.
    found = client.get(LIST, {"q": "moves online"}).content.decode()
    assert _names(found) == ["7"] and "Moves Online" in found
