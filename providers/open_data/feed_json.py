"""A page of the OpenActive feed written straight to JSON text.

Byte for byte what JsonResponse made of the page as dicts (json.dumps's ", " and ": ",
non-ASCII as is), at a fraction of the cost: encoding ~960 KB of dicts was half the page's
Python. The pieces items share (organizer, place, concept, schedule, offers, accessibility,
what the tags say) are encoded once a page; each item writes only its own few values.
Every member is written in the order the dicts had (test_open_data_feed_same_json).
"""

import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder

from providers.open_data.feed_rows import KeptItem
from providers.open_data.openactive import (
    ATTENDANCE_MODE,
    CONTEXT,
    KIND,
    LICENSE,
    Links,
    accessibility_information,
    accessibility_support,
    activity_concept,
    age_range_value,
    event_schedule,
    gender_restriction,
    offers,
    sub_events,
)
from providers.open_data.presenting import exact_coordinates, region_of, street_address
from talkingmoves.vocabulary.activities import SuitableFor

# Any value as JsonResponse writes it, and a string alone (quoted, escaped) the same way.
encode = DjangoJSONEncoder(ensure_ascii=False).encode
quote = json.encoder.encode_basestring

CONTEXT_AND_TYPE = f'"@context": {encode(CONTEXT)}, "@type": "SessionSeries"'
ATTENDANCE_MEMBER = {
    mode: f'"eventAttendanceMode": {quote(uri)}' for mode, uri in ATTENDANCE_MODE.items()
}


def page_json(
    items, *, next_url: str, links: Links, regions: dict[str, str]
) -> tuple[str, list[tuple[object, str]]]:
    """The feed page: `next`, the items and the licence; and each item written here (not
    kept already) with its JSON. Items: feed_rows.FeedActivity, written here, or
    feed_rows.KeptItem, whose JSON is sent as it was kept (kept_items.py)."""
    page = _Page(links=links, regions=regions)
    parts, written = [], []
    for item in items:
        if isinstance(item, KeptItem):
            parts.append(item.json)
        else:
            text = item_json(item, page)
            parts.append(text)
            written.append((item, text))
    items_text = ", ".join(parts)
    text = f'{{"next": {quote(next_url)}, "items": [{items_text}], "license": {quote(LICENSE)}}}'
    return text, written


def items_json(items, *, links: Links, regions: dict[str, str]) -> list[tuple[object, str]]:
    """Each item (feed_rows.FeedActivity) with its JSON, as a page writes it, without the
    page around them (the worker that writes items ahead, keep_ahead.py)."""
    page = _Page(links=links, regions=regions)
    return [(item, item_json(item, page)) for item in items]


def item_json(activity, page: "_Page") -> str:
    public_id = str(activity.public_id)
    published = activity.published
    head = (
        f'{{"state": "{"updated" if published else "deleted"}", "kind": "{KIND}", '
        f'"id": "{public_id}", "modified": {activity.modified}'
    )
    if not published:
        return head + "}"
    return f'{head}, "data": {session_series_json(activity, public_id, page)}}}'


class _Page:
    """One page's links and regions, and the members its items share, each written once: an
    organizer per provider, a place per venue, a concept per activity type, a schedule per
    set of weekly times, offers per set of prices, accessibility per set of features and
    venue, and what a set of tags says."""

    def __init__(self, *, links: Links, regions: dict[str, str]):
        self.links = links
        self.regions = regions
        self.feed = links.feed()
        self.written: dict[tuple, str] = {}

    def once(self, key: tuple, write: Callable[..., str], *args) -> str:
        """write(*args), the first time `key` is asked for (no closure per item: a page
        made 3,500 of them)."""
        found = self.written.get(key)
        if found is None:
            found = self.written[key] = write(*args)
        return found


def session_series_json(activity, public_id: str, page: _Page) -> str:
    provider = activity.provider
    venue = activity.venue
    series_id = f"{page.feed}/{public_id}"
    # Listings have no public page of their own; the service record is the fallback.
    url = provider.website or page.links.service(activity)
    members = [f'{CONTEXT_AND_TYPE}, "@id": {quote(series_id)}, "identifier": "{public_id}"']
    if activity.name:
        members.append(f'"name": {quote(activity.name)}')
    if activity.description:
        members.append(f'"description": {quote(activity.description)}')
    members.append(f'"url": {quote(url)}')
    members.append(page.once(("concept", activity.activity_type_id), _concept_member, activity))
    members.append(
        page.once(("organizer", activity.provider_id), _organizer_member, provider, page)
    )
    if venue is not None:
        members.append(page.once(("place", venue.pk), _place_member, venue, page))
    members.append(ATTENDANCE_MEMBER[activity.delivery_mode])
    slots = tuple(activity.slots)
    if slots:
        members.append(page.once(("schedule", slots), _schedule_member, slots))
    if activity.sessions:
        sessions = sub_events(activity, public_id, series_id=series_id, url=url)
        members.append(f'"subEvent": {encode(sessions)}')
    prices = (activity.is_free, activity.price_full, activity.price_concession, provider.website)
    prices = page.once(("offers", *prices), _offers_members, activity)
    if prices:
        members.append(prices)
    features = frozenset(activity.features)
    venue_pk = venue.pk if venue else None
    access = page.once(("access", features, venue_pk), _accessibility_members, activity, features)
    if access:
        members.append(access)
    tags = frozenset(activity.tags)
    members.append(page.once(("tags", tags), _tag_members, tags))
    if activity.capacity is not None:
        members.append(f'"maximumAttendeeCapacity": {activity.capacity}')
    return "{" + ", ".join(members) + "}"


def _concept_member(activity) -> str:
    return f'"activity": [{encode(activity_concept(activity))}]'


def _organizer_member(provider, page: _Page) -> str:
    return f'"organizer": {organizer_json(provider, links=page.links)}'


def _place_member(venue, page: _Page) -> str:
    return f'"location": {place_json(venue, links=page.links, regions=page.regions)}'


def _schedule_member(slots) -> str:
    return f'"eventSchedule": {encode(event_schedule(slots))}'


def organizer_json(provider, *, links: Links) -> str:
    members = [
        '"@type": "Organization"',
        f'"@id": {quote(links.organizer(provider))}',
        f'"identifier": {quote(str(provider.public_id))}',
    ]
    if provider.name:
        members.append(f'"name": {quote(provider.name)}')
    if provider.website:
        members.append(f'"url": {quote(provider.website)}')
    if provider.email:
        members.append(f'"email": {quote(provider.email)}')
    if provider.phone:
        members.append(f'"telephone": {quote(provider.phone)}')
    return "{" + ", ".join(members) + "}"


def place_json(venue, *, links: Links, regions: dict[str, str]) -> str:
    latitude, longitude = exact_coordinates(venue)
    region = region_of(venue, regions)
    members = [
        '"@type": "Place"',
        f'"@id": {quote(links.place(venue))}',
        f'"identifier": {quote(str(venue.public_id))}',
    ]
    if venue.name:
        members.append(f'"name": {quote(venue.name)}')
    # Sent even when incomplete: a postcode alone still lets a finder place the venue.
    address = ['"@type": "PostalAddress"']
    # OpenActive requires a street address; a venue with none (only a postcode)
    # gives its name, the first line a letter to it would have.
    street = street_address(venue) or venue.name
    if street:
        address.append(f'"streetAddress": {quote(street)}')
    # A venue known only by its postcode: its district's local authority area.
    if venue.town or region:
        address.append(f'"addressLocality": {quote(venue.town or region)}')
    if region:
        address.append(f'"addressRegion": {quote(region)}')
    if venue.postcode:
        address.append(f'"postalCode": {quote(venue.postcode)}')
    address.append('"addressCountry": "GB"')
    members.append('"address": {' + ", ".join(address) + "}")
    if latitude is not None:
        # float's repr is what json writes (the table's check keeps them finite).
        geo = f'"@type": "GeoCoordinates", "latitude": {latitude!r}'
        if longitude is not None:
            geo += f', "longitude": {longitude!r}'
        members.append('"geo": {' + geo + "}")
    return "{" + ", ".join(members) + "}"


def _offers_members(activity) -> str:
    prices = offers(activity)
    members = [f'"offers": {encode(prices)}'] if prices else []
    if activity.is_free:
        members.append('"isAccessibleForFree": true')
    return ", ".join(members)


def _accessibility_members(activity, features: frozenset[str]) -> str:
    members = []
    support = accessibility_support(features)
    if support:
        members.append(f'"accessibilitySupport": {encode(support)}')
    information = accessibility_information(activity)
    if information:
        members.append(f'"accessibilityInformation": {quote(information)}')
    return ", ".join(members)


def _tag_members(tags: frozenset[str]) -> str:
    members = [f'"genderRestriction": {quote(gender_restriction(tags))}']
    ages = age_range_value(tags)
    if ages:
        members.append(f'"ageRange": {encode(ages)}')
    if SuitableFor.BEGINNERS in tags:
        members.append('"level": ["Beginner"]')
    return ", ".join(members)
