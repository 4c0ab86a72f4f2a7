"""The OpenActive feed's JSON is byte for byte what it was before the feed page was built
from plain rows: every page of a varied feed, read through the view, equals what the frozen
reference (feed_reference.py, feed_reference_rows.py) makes of the same data."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from providers.models import (
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    Outcode,
    VenueAccessibility,
)
from providers.open_data import views
from tests.providers.factories import (
    ActivityFactory,
    ProviderFactory,
    VenueFactory,
    WeeklySlotFactory,
    activity_type,
)
from tests.providers.feed_reference_rows import feed_response
from tests.providers.open_data_fixtures import (
    HOUR,
    full_activity,
    in_house_activity,
    set_updated_at,
)
from tests.providers.open_data_fixtures.openactive import FEED, HOST, T0, follow, scheduled

pytestmark = pytest.mark.django_db


def _tags(activity, *tags):
    for tag in tags:
        ActivitySuitability.objects.create(activity=activity, tag=tag)


def _features(activity, *features):
    for feature in features:
        ActivityAccessibility.objects.create(activity=activity, feature=feature)


def _session(activity, *, starts, minutes):
    OneOffSession.objects.create(
        activity=activity, starts_at=starts, ends_at=starts + timedelta(minutes=minutes)
    )


def varied_feed():
    """Online and at venues, free and priced, grouped weekly slots, one-off sessions to come
    and gone, tags, deleted items of every kind, approximate and missing places, odd text."""
    now = timezone.now()
    Outcode.objects.update_or_create(
        outcode="ZZ9", defaults={"latitude": 51.5, "longitude": -0.1, "region": "Wiltshire"}
    )
    full_activity()
    full_activity(name="Evening walk", is_free=True, price_full=None, price_concession=None)

    online = ActivityFactory(
        online=True,
        provider__website="",
        provider__phone="",
        is_free=True,
        capacity=1,
        description='Line one\nline two\r\n\ttabbed \x01\x1f\x7f "quoted" \\ back\u2029',
    )
    _session(online, starts=now.replace(microsecond=123456) + timedelta(days=3), minutes=95)
    _session(online, starts=now + timedelta(days=1, minutes=7), minutes=30)
    _tags(online, "age_18_25", "over_50s", "men_only", "quiet_session")

    odd = ActivityFactory(
        name='Café "Fit" <b>&</b> \u2028 ½ / \\ \U0001f3c3',
        description="",
        is_free=False,
        price_full=Decimal("0.00"),
        price_concession=None,
        venue=VenueFactory(
            name="Hall & <Annex>",
            address_line_1="",
            address_line_2="",
            town="",
            postcode="ZZ9 1AA",
            latitude=51.5,
            longitude=-0.1,
            location_is_approximate=True,
            access_notes="Ramp at the side door.",
        ),
        delivery_mode="both",
    )
    VenueAccessibility.objects.create(venue=odd.venue, feature="step_free")
    _features(odd, "visual_impairment", "step_free", "hearing_loop")
    _tags(odd, "age_18_25", "beginners")
    for weekday, start, end in [(4, 18, 19), (0, 18, 19), (2, 7, 8), (6, 18, 19)]:
        WeeklySlotFactory(activity=odd, weekday=weekday, start_time=time(start), end_time=time(end))

    # Sharing the venue and provider (and weekly times) but not the features.
    for features in [("bsl",), (), ("bsl",)]:
        neighbour = scheduled(venue=odd.venue, provider=odd.provider, is_free=False)
        _features(neighbour, *features)

    no_coordinates = ActivityFactory(
        price_full=Decimal("3.10"),
        is_free=False,
        venue=VenueFactory(latitude=None, longitude=None, address_line_2="Back lane"),
    )
    WeeklySlotFactory(
        activity=no_coordinates, weekday=5, start_time=time(9, 15), end_time=time(10, 0)
    )

    only_past = ActivityFactory()
    _session(only_past, starts=now - timedelta(days=2), minutes=60)
    ActivityFactory()  # no times: a deleted item
    scheduled(archived=True)
    scheduled(venue=VenueFactory(archived=True))
    gone = ProviderFactory(archived=True)
    scheduled(venue=VenueFactory(provider=gone), provider=gone)
    scheduled(online=True, provider=gone)
    in_house_activity().weekly_slots.create(weekday=1, start_time="10:00", end_time="11:00")
    ActivityFactory(activity_type=activity_type("Yoga"), name="Chair yoga").weekly_slots.create(
        weekday=3, start_time="14:00", end_time="14:40"
    )
    _session(
        scheduled(is_free=False, price_concession=Decimal("1.5")),
        starts=now,
        minutes=HOUR.seconds // 60,
    )


def reference_response(url: str):
    request = RequestFactory().get(url, HTTP_HOST=HOST)
    return feed_response(request, views._feed_cursor(request), page_size=views.FEED_PAGE_SIZE)


def assert_every_page_is_as_before(get):
    pages = follow(get)
    urls = [FEED] + [page["next"] for page in pages[:-1]]
    assert len(urls) == len(pages)
    for url in urls:
        response, reference = get(url), reference_response(url)
        assert response.content == reference.content, url
        assert response["Content-Type"] == reference["Content-Type"]
    return pages


def test_one_page_of_a_varied_feed_is_byte_for_byte_as_before(get):
    varied_feed()

    [first, _last] = assert_every_page_is_as_before(get)

    assert len(first["items"]) == 16
    assert {item["state"] for item in first["items"]} == {"updated", "deleted"}


def test_paging_through_a_varied_feed_is_byte_for_byte_as_before(get, monkeypatch):
    varied_feed()
    from providers.models import Activity

    for n, activity in enumerate(Activity.objects.order_by("pk")):
        # Pairs share a moment, so some pages end between items with the same timestamp.
        set_updated_at(activity, T0 + timedelta(microseconds=n // 2))
    monkeypatch.setattr(views, "FEED_PAGE_SIZE", 3)

    pages = assert_every_page_is_as_before(get)

    assert len(pages) == 7
    assert pages[-1]["items"] == []
