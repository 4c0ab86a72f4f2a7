"""Turns one OpenActive RPDE item's `data` into the fields of our providers, venues, activities
and dated sessions.

Nothing here touches the database except loading the Activity List once per harvest, so an item
is either mapped completely or refused with an ItemProblem that names what is wrong, in words a
partnership officer can take back to the publisher.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.validators import EmailValidator, URLValidator

from providers import geography
from providers.models import ActivityType
from providers.openactive.activities import ActivityList, activity_of, facility_activity
from providers.openactive.kinds import (
    FACILITY_TYPES,
    delivery,
    in_person_place,
    own_session,
    parent_references,
    reference_keys,
    with_parent,
)
from providers.openactive.schedules import (
    NOT_HAPPENING,
    SessionFields,
    Slots,
    opening_hours_slots,
    series_sub_events,
    start_and_end,
    weekly_slots,
)
from providers.openactive.values import (
    ItemProblem,
    as_list,
    is_empty,
    read_concept,
    read_number,
    read_positive_int,
    read_text,
    short_key,
    valid_or_blank,
)
from talkingmoves.vocabulary.access_needs import OPENACTIVE_ACCESSIBILITY
from talkingmoves.vocabulary.activities import DeliveryMode, SuitableFor

_UK_POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE)
_check_url = URLValidator(schemes=["http", "https"])
_check_email = EmailValidator()


@dataclass(frozen=True)
class ProviderFields:
    key: str
    name: str
    description: str
    website: str
    email: str
    phone: str


@dataclass(frozen=True)
class VenueFields:
    key: str
    name: str
    address_line_1: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class ActivityFields:
    name: str
    activity_type: ActivityType
    # The publisher's activity label when it matched none of ours (activity_type is Other).
    activity_label: str
    item_uri: str  # the item's @id, which its sessions and slots point at
    description: str
    delivery_mode: str
    online_url: str
    is_free: bool
    price_full: Decimal | None
    price_concession: Decimal | None
    capacity: int | None
    suitability: frozenset[str]
    accessibility: frozenset[str]
    weekly_slots: Slots
    # Dated sessions listed inside the item (subEvent, an Event's own date); None for a
    # facility, whose Slots come as items of their own.
    sessions: tuple[SessionFields, ...] | None


@dataclass(frozen=True)
class MappedListing:
    """A session series, course, event or facility: who runs it, where, and the activity."""

    provider: ProviderFields
    venue: VenueFields | None
    activity: ActivityFields


@dataclass(frozen=True)
class MappedSession:
    """A ScheduledSession or Slot published on its own, pointing at its listing."""

    what: str  # "ScheduledSession" or "Slot"
    parent_kind: str  # what it belongs to, in words: "SessionSeries", "facility"
    series_keys: tuple[str, ...]
    series_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_happening: bool
    # The listing itself when the item embeds it whole (a "ScheduledSession.SessionSeries").
    parent: dict | None = None


def item_type(data: dict, kind: str) -> str:
    """The item's type: data's @type, or the RPDE kind ("SessionSeries.ScheduledSession")."""
    return read_text(data.get("@type") or data.get("type")) or kind.split(".")[0]


def map_listing(*, item_id: str, kind: str, data: dict, activities: ActivityList) -> MappedListing:
    """Map anything a finder lists (kinds.LISTING_TYPES); raises ItemProblem when it cannot
    be listed: no name, no place and not online, no organisation or link to take part."""
    what = item_type(data, kind)
    data = with_parent(data)
    name = read_text(data.get("name"))
    if not name:
        raise ItemProblem(f"{what} has no name")
    delivery_mode, online_url = delivery(data, what)
    is_facility = what in FACILITY_TYPES
    organisation_field = "provider" if is_facility else "organizer"
    provider = _provider(data.get(organisation_field) or data.get("provider"), what)
    place = in_person_place(data)
    if place is None:
        if delivery_mode != DeliveryMode.ONLINE:
            raise ItemProblem(f"{what} has no location and is not online")
        if not (online_url or read_text(data.get("url")) or provider.website or provider.email):
            raise ItemProblem(f"{what} is online but gives no link or contact to join it")
        venue = None
    else:
        venue = _venue(place, what, provider.key)
    is_free, price_full, price_concession = _prices(data, what)
    if is_facility:
        found = facility_activity(data, activities)
        slots = opening_hours_slots(data.get("hoursAvailable"))
        sessions = None
    else:
        found = activity_of(data, activities)
        slots = weekly_slots(data.get("eventSchedule"), what)
        sessions = series_sub_events(data, item_id, what) + own_session(data, item_id, what)
    return MappedListing(
        provider=provider,
        venue=venue,
        activity=ActivityFields(
            name=name[:200],
            activity_type=found.activity_type,
            activity_label=found.label,
            item_uri=short_key(read_text(data.get("@id") or data.get("id"))),
            description=read_text(data.get("description")),
            delivery_mode=delivery_mode,
            online_url=valid_or_blank(online_url, _check_url, 200),
            is_free=is_free,
            price_full=price_full,
            price_concession=price_concession,
            capacity=read_positive_int(data.get("maximumAttendeeCapacity")),
            suitability=_suitability(data),
            accessibility=frozenset(
                OPENACTIVE_ACCESSIBILITY[uri]
                for uri, _ in map(read_concept, as_list(data.get("accessibilitySupport")))
                if uri in OPENACTIVE_ACCESSIBILITY
            ),
            weekly_slots=slots,
            sessions=sessions,
        ),
    )


def map_session(*, data: dict, kind: str = "ScheduledSession") -> MappedSession:
    """Map a ScheduledSession or Slot published on its own; raises ItemProblem."""
    what = item_type(data, kind)
    references = parent_references(data, what)
    if not references:
        if what == "Slot":
            raise ItemProblem("Slot has no facilityUse (the facility it is a time of)")
        raise ItemProblem("ScheduledSession has no superEvent (the SessionSeries it belongs to)")
    starts_at, ends_at = start_and_end(data, what)
    parent = data.get("facilityUse") if what == "Slot" else data.get("superEvent")
    return MappedSession(
        what=what,
        parent_kind="facility" if what == "Slot" else "SessionSeries",
        series_keys=reference_keys(references),
        series_label=references[0],
        starts_at=starts_at,
        ends_at=ends_at,
        is_happening=not read_text(data.get("eventStatus")).endswith(NOT_HAPPENING),
        parent=parent if isinstance(parent, dict) and parent.get("name") else None,
    )


# --- parts of an item -----------------------------------------------------------------------


def _provider(organisation, what: str) -> ProviderFields:
    if is_empty(organisation):
        role = "provider" if what in FACILITY_TYPES else "organizer"
        raise ItemProblem(f"{what} has no {role} (the organisation that runs it)")
    if not isinstance(organisation, dict):
        raise ItemProblem(f"{what} names its organisation only by a link, with no details")
    if item_type(organisation, "") == "Person":
        raise ItemProblem(f"{what} is run by a person, not an organisation")
    name = read_text(organisation.get("name"))
    if not name:
        raise ItemProblem("Organization has no name")
    key = read_text(organisation.get("@id") or organisation.get("id")) or read_text(
        organisation.get("identifier")
    )
    return ProviderFields(
        key=short_key(key or f"name:{name.casefold()}"),
        name=name[:200],
        description=read_text(organisation.get("description")),
        website=valid_or_blank(read_text(organisation.get("url")), _check_url, 200),
        email=valid_or_blank(read_text(organisation.get("email")), _check_email, 254),
        phone=read_text(organisation.get("telephone"))[:30],
    )


def _venue(place, what: str, provider_key: str) -> VenueFields:
    if not isinstance(place, dict):
        raise ItemProblem(f"{what} gives its location only by a link, with no address")
    name = read_text(place.get("name"))
    if not name:
        raise ItemProblem("Place has no name")
    address = place.get("address")
    if isinstance(address, dict):
        street = read_text(address.get("streetAddress"))
        town = read_text(address.get("addressLocality")) or read_text(address.get("addressRegion"))
        raw_postcode = read_text(address.get("postalCode"))
    else:
        street, town = read_text(address), ""
        match = _UK_POSTCODE_IN_TEXT.search(street)
        raw_postcode = match.group(1) if match else ""
    postcode = ""
    if raw_postcode:
        try:
            postcode = geography.normalise_postcode(raw_postcode)
        except geography.PostcodeError:
            raise ItemProblem(
                f"Place postcode '{raw_postcode}' is not a real UK postcode"
            ) from None
    latitude, longitude = _coordinates(place.get("geo"))
    if not postcode and latitude is None:
        raise ItemProblem("Place has no postcode or coordinates")
    place_key = (
        read_text(place.get("@id") or place.get("id"))
        or read_text(place.get("identifier"))
        or f"{name.casefold()}|{postcode}"
    )
    return VenueFields(
        # A Place used by two organisations becomes a venue of each provider.
        key=short_key(place_key, provider_key),
        name=name[:200],
        address_line_1=street[:200],
        town=town[:100],
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
    )


def _coordinates(geo) -> tuple[float | None, float | None]:
    if not isinstance(geo, dict) or geo.get("latitude") in (None, ""):
        return None, None
    try:
        latitude, longitude = float(geo["latitude"]), float(geo.get("longitude"))
    except (TypeError, ValueError):
        raise ItemProblem("Place coordinates are not numbers") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ItemProblem(f"Place coordinates ({latitude}, {longitude}) are not on the map")
    return latitude, longitude


def _delivery_mode(data: dict) -> str:
    mode = read_text(data.get("eventAttendanceMode"))
    if mode.endswith("OnlineEventAttendanceMode"):
        return DeliveryMode.ONLINE
    if mode.endswith("MixedEventAttendanceMode"):
        return DeliveryMode.BOTH
    return DeliveryMode.IN_PERSON


def _prices(data: dict, what: str) -> tuple[bool, Decimal | None, Decimal | None]:
    prices = []
    for offer in as_list(data.get("offers")):
        if not isinstance(offer, dict) or offer.get("price") in (None, ""):
            continue
        try:
            price = Decimal(str(offer["price"]))
        except InvalidOperation:
            price = None
        if price is None or not price.is_finite() or isinstance(offer["price"], bool):
            raise ItemProblem(f"{what} has a price that is not a number ('{offer['price']}')")
        price = price.quantize(Decimal("0.01"))
        if price < 0:
            raise ItemProblem(f"{what} has a price below zero ({price})")
        if price >= Decimal("100000"):
            raise ItemProblem(f"{what} has a price too large to be right ({price})")
        prices.append(price)
    if data.get("isAccessibleForFree") is True or (prices and max(prices) == 0):
        return True, None, None
    if not prices:
        return False, None, None
    highest, lowest = max(prices), min(prices)
    return False, highest, lowest if lowest < highest else None


def _suitability(data: dict) -> frozenset[str]:
    tags = set()
    gender = read_text(data.get("genderRestriction"))
    if gender.endswith("FemaleOnly"):
        tags.add(SuitableFor.WOMEN_ONLY)
    elif gender.endswith("MaleOnly"):
        tags.add(SuitableFor.MEN_ONLY)
    levels = [read_concept(level)[1] for level in as_list(data.get("level"))]
    if any("beginner" in level.casefold() for level in levels):
        tags.add(SuitableFor.BEGINNERS)
    age = data.get("ageRange")
    if isinstance(age, dict):
        youngest, oldest = read_number(age.get("minValue")), read_number(age.get("maxValue"))
        if youngest is not None and youngest >= 50:
            tags.add(SuitableFor.OVER_50S)
        elif youngest is not None and youngest >= 18 and oldest is not None and oldest <= 25:
            tags.add(SuitableFor.AGE_18_25)
    return frozenset(tags)
