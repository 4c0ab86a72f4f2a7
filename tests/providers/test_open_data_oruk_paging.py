"""ORUK /services deep pages (issue 14): a page seeks from an anchor instead of counting past
the pages before it, and gives exactly what OFFSET paging gave, cached or not."""

import pytest
from django.test import override_settings

from providers.open_data import selectors
from tests.providers.factories import ActivityFactory
from tests.providers.open_data_fixtures.oruk import SERVICES

pytestmark = pytest.mark.django_db


@pytest.fixture
def eleven(monkeypatch):
    monkeypatch.setattr(selectors, "ANCHOR_EVERY", 3)  # anchors inside the pages, not on them
    # Two share a name: the id orders them.
    return [ActivityFactory(name=f"Service {n % 10:02d}") for n in range(11)]


def _names(page):
    return [item["name"] for item in page["contents"]]


@pytest.mark.parametrize("per_page", [1, 2, 4, 5, 11, 20])
def test_every_page_is_the_offset_page(client, eleven, per_page):
    expected = sorted(eleven, key=lambda a: (a.name, a.pk))
    pages = -(-11 // per_page)
    seen = []
    for number in range(1, pages + 2):
        page = client.get(SERVICES, {"page": number, "per_page": per_page}).json()
        assert (page["total_items"], page["total_pages"], page["page_number"]) == (
            11,
            pages,
            number,
        )
        assert page["last_page"] == (number >= pages)
        seen += [item["id"] for item in page["contents"]]
    assert seen == [str(a.public_id) for a in expected]


def test_search_filters_are_paged_by_their_own_anchors(client, eleven):
    ActivityFactory(name="Zumba")
    page = client.get(SERVICES, {"search": "Service 0", "per_page": 4, "page": 3}).json()
    assert (page["total_items"], _names(page)) == (11, ["Service 07", "Service 08", "Service 09"])
    assert client.get(SERVICES, {"search": "Zumba"}).json()["total_items"] == 1


@override_settings(ORUK_INDEX_CACHE_SECONDS=60)
def test_a_cached_index_saves_the_walk(client, eleven, fresh_cache, django_assert_num_queries):
    client.get(SERVICES, {"per_page": 4})
    with django_assert_num_queries(3):  # keys, services, suitability: no walk
        page = client.get(SERVICES, {"per_page": 4, "page": 3}).json()
    assert _names(page) == ["Service 07", "Service 08", "Service 09"]
