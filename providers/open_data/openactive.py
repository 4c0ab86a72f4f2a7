"""Our activities as OpenActive SessionSeries, published through an RPDE feed."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import groupby

from django.urls import reverse

from providers.open_data.presenting import (
    exact_coordinates,
    hh_mm,
    iso_duration,
    minutes_between,
    money,
    region_of,
    street_address,
    utc_iso,
)
from providers.open_data.terms import (
    ACCESSIBILITY_ORDER,
    ACCESSIBILITY_SUPPORT,
    ACTIVITY_LIST,
    OPENACTIVE_ACCESSIBILITY_URI,
    SCHEMA_DAYS,
    age_range,
    derived_id,
    openactive_accessibility_labels,
)
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode, SuitableFor

CONTEXT = ["https://openactive.io/", "https://openactive.io/ns-beta"]
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
KIND = "SessionSeries"
ACCESSIBILITY_LABELS = dict(Accessibility.choices)

GENDER_RESTRICTION = {
    SuitableFor.WOMEN_ONLY: "https://openactive.io/FemaleOnly",
    SuitableFor.MEN_ONLY: "https://openactive.io/MaleOnly",
}
ATTENDANCE_MODE = {
    DeliveryMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    DeliveryMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    DeliveryMode.BOTH: "https://schema.org/MixedEventAttendanceMode",
}

# RPDE's `modified` only has to order changes; microseconds since the epoch keep every
# distinct `updated_at` distinct, so the cursor never skips an item sharing a second.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
LATEST_MODIFIED = (datetime(9999, 1, 1, tzinfo=UTC) - EPOCH) // MICROSECOND


def modified_number(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def modified_moment(number: int) -> datetime:
    return EPOCH + number * MICROSECOND


@dataclass(frozen=True)
class Links:
    """Absolute URLs: OpenActive identifies everything by URL. A page of the feed makes
    five for each of its 500 items, so the site's root and the two reversed paths are
    worked out once per page, not once per URL (they were a quarter of building a page)."""

    absolute: Callable[[str], str]

    @cached_property
    def _root(self) -> str:
        return self.absolute("/").removesuffix("/")

    @cached_property
    def _feed(self) -> str:
        return self.absolute(reverse("open_data:openactive_session_series"))

    @cached_property
    def _service_path(self) -> str:
        placeholder = "00000000-0000-0000-0000-000000000000"
        path = reverse("open_data:oruk_service", args=[placeholder])
        return path.replace(placeholder, "{}")

    def feed(self) -> str:
        return self._feed

    def session_series(self, activity) -> str:
        return f"{self._feed}/{activity.public_id}"

    # Identifiers under our own domain; OpenActive does not need them to resolve.
    def place(self, venue) -> str:
        return f"{self._root}/openactive/places/{venue.public_id}"

    def organizer(self, provider) -> str:
        return f"{self._root}/openactive/organizers/{provider.public_id}"

    def service(self, activity) -> str:
        return self._root + self._service_path.format(activity.public_id)


def rpde_items(activities, *, links: Links, regions: dict[str, str]) -> list[dict]:
    """A feed page's items (feed_rows.FeedActivity), what they share built once a page.

    Empty values are never put in, where `compact` took them out afterwards, so the keys and
    their order are as compact left them: text, lists and dicts go in when truthy, numbers
    when not None (0 is an answer)."""
    page = _Page(links=links, regions=regions)
    return [rpde_item(activity, page=page) for activity in activities]


def rpde_item(activity, *, page: "_Page") -> dict:
    public_id = str(activity.public_id)
    item = {
        "state": "updated" if activity.published else "deleted",
        "kind": KIND,
        "id": public_id,
        "modified": modified_number(activity.modified_at),
    }
    if activity.published:
        item["data"] = session_series(activity, public_id, page=page)
    return item


class _Page:
    """One page's links and regions, and the pieces its items share, each built once: an
    organizer per provider, a place per venue, a concept per activity type, a schedule per
    set of weekly times, accessibility per set of features and venue."""

    def __init__(self, *, links: Links, regions: dict[str, str]):
        self.links = links
        self.regions = regions
        self.feed = links.feed()
        self.built: dict[tuple, object] = {}

    def once(self, key: tuple, make: Callable[[], object]):
        found = self.built.get(key)
        if found is None:
            found = self.built[key] = make()
        return found


def session_series(activity, public_id: str, *, page: _Page) -> dict:
    tags = activity.tags
    provider = activity.provider
    series_id = f"{page.feed}/{public_id}"
    # Listings have no public page of their own; the service record is the fallback.
    url = provider.website or page.links.service(activity)
    data = {
        "@context": CONTEXT,
        "@type": "SessionSeries",
        "@id": series_id,
        "identifier": public_id,
    }
    if activity.name:
        data["name"] = activity.name
    if activity.description:
        data["description"] = activity.description
    data["url"] = url
    venue = activity.venue
    data["activity"] = [
        page.once(("concept", activity.activity_type_id), lambda: activity_concept(activity))
    ]
    data["organizer"] = page.once(
        ("organizer", activity.provider_id), lambda: organizer(provider, links=page.links)
    )
    if venue is not None:
        data["location"] = page.once(
            ("place", venue.pk), lambda: place(venue, links=page.links, regions=page.regions)
        )
    data["eventAttendanceMode"] = ATTENDANCE_MODE[activity.delivery_mode]
    slots = tuple(activity.slots)
    schedule = page.once(("schedule", slots), lambda: event_schedule(slots))
    if schedule:
        data["eventSchedule"] = schedule
    sessions = sub_events(activity, public_id, series_id=series_id, url=url)
    if sessions:
        data["subEvent"] = sessions
    prices = offers(activity)
    if prices:
        data["offers"] = prices
    if activity.is_free:
        data["isAccessibleForFree"] = True
    features = frozenset(activity.features)
    support, information = page.once(
        ("accessibility", features, venue.pk if venue else None),
        lambda: (accessibility_support(features), accessibility_information(activity)),
    )
    if support:
        data["accessibilitySupport"] = support
    if information:
        data["accessibilityInformation"] = information
    data["genderRestriction"] = gender_restriction(tags)
    ages = age_range_value(tags)
    if ages:
        data["ageRange"] = ages
    if SuitableFor.BEGINNERS in tags:
        data["level"] = ["Beginner"]
    if activity.capacity is not None:
        data["maximumAttendeeCapacity"] = activity.capacity
    return data


def activity_concept(activity) -> dict:
    concept = {"@type": "Concept", "@id": f"{ACTIVITY_LIST}#{activity.activity_type_id}"}
    if activity.activity_type_label:
        concept["prefLabel"] = activity.activity_type_label
    concept["inScheme"] = ACTIVITY_LIST
    return concept


def organizer(provider, *, links: Links) -> dict:
    found = {
        "@type": "Organization",
        "@id": links.organizer(provider),
        "identifier": str(provider.public_id),
    }
    if provider.name:
        found["name"] = provider.name
    if provider.website:
        found["url"] = provider.website
    if provider.email:
        found["email"] = provider.email
    if provider.phone:
        found["telephone"] = provider.phone
    return found


def place(venue, *, links: Links, regions: dict[str, str]) -> dict:
    latitude, longitude = exact_coordinates(venue)
    region = region_of(venue, regions)
    found = {"@type": "Place", "@id": links.place(venue), "identifier": str(venue.public_id)}
    if venue.name:
        found["name"] = venue.name
    # Sent even when incomplete: a postcode alone still lets a finder place the venue.
    address = {"@type": "PostalAddress"}
    # OpenActive requires a street address; a venue with none (only a postcode)
    # gives its name, the first line a letter to it would have.
    street = street_address(venue) or venue.name
    if street:
        address["streetAddress"] = street
    # A venue known only by its postcode: its district's local authority area.
    if venue.town or region:
        address["addressLocality"] = venue.town or region
    if region:
        address["addressRegion"] = region
    if venue.postcode:
        address["postalCode"] = venue.postcode
    address["addressCountry"] = "GB"
    found["address"] = address
    if latitude is not None:
        geo = {"@type": "GeoCoordinates", "latitude": latitude}
        if longitude is not None:
            geo["longitude"] = longitude
        found["geo"] = geo
    return found


def event_schedule(slots) -> list[dict]:
    """`slots`: (weekday, start_time, end_time) rows."""
    ordered = sorted(slots, key=lambda s: (s[1], s[2], s[0]))
    return [
        {
            "@type": "PartialSchedule",
            "repeatFrequency": "P1W",
            "byDay": [SCHEMA_DAYS[slot[0]] for slot in group],
            "startTime": hh_mm(start),
            "endTime": hh_mm(end),
            "duration": iso_duration(minutes_between(start, end)),
            "scheduleTimezone": "Europe/London",
        }
        for (start, end), group in groupby(ordered, key=lambda s: (s[1], s[2]))
    ]


def sub_events(activity, public_id: str, *, series_id: str, url: str) -> list[dict]:
    found = []
    for pk, starts_at, ends_at in activity.sessions:
        minutes = int((ends_at - starts_at).total_seconds() // 60)
        session_id = derived_id("session", public_id, pk)
        session = {
            "@type": "ScheduledSession",
            "@id": f"{series_id}/sessions/{session_id}",
            "url": url,
            "eventStatus": "https://schema.org/EventScheduled",
            "startDate": utc_iso(starts_at),
            "endDate": utc_iso(ends_at),
            "duration": iso_duration(minutes),
        }
        if activity.is_free:
            # A session inherits the series' offers, so it must say "free" itself too.
            session["isAccessibleForFree"] = True
        found.append(session)
    return found


def offers(activity) -> list[dict]:
    if activity.is_free:
        prices = [("free", "Free", Decimal(0))]
    else:
        prices = [
            ("full", "Full price", activity.price_full),
            ("concession", "Concession", activity.price_concession),
        ]
    found = []
    for key, name, price in prices:
        if price is not None:
            offer = {
                "@type": "Offer",
                "identifier": key,
                "name": name,
                "price": money(price),
                "priceCurrency": "GBP",
            }
            if activity.provider.website:
                offer["url"] = activity.provider.website
            found.append(offer)
    return found


def accessibility_support(features: set[str]) -> list[dict]:
    if not features:
        return []
    labels = openactive_accessibility_labels()
    uris = [OPENACTIVE_ACCESSIBILITY_URI.get(feature) for feature in in_list_order(features)]
    return [
        {
            "@type": "Concept",
            "@id": uri,
            "prefLabel": labels[uri],
            "inScheme": ACCESSIBILITY_SUPPORT,
        }
        for uri in uris
        if uri
    ]


def accessibility_information(activity) -> str:
    """What the OpenActive list has no concept for, in words: other features, venue notes."""
    features = [
        f for f in in_list_order(activity.features) if f not in OPENACTIVE_ACCESSIBILITY_URI
    ]
    notes = []
    venue = activity.venue
    if venue is not None:
        features += in_list_order(venue.features)
        notes = [venue.access_notes.rstrip(".")] if venue.access_notes else []
    if not features and not notes:
        return ""
    sentences = [ACCESSIBILITY_LABELS[feature] for feature in dict.fromkeys(features)] + notes
    return " ".join(f"{sentence}." for sentence in sentences)


def in_list_order(features: set[str]) -> list[str]:
    """Accessibility codes in the list's own order (the rows have none)."""
    if not features:
        return []
    return [feature for feature in ACCESSIBILITY_ORDER if feature in features]


def gender_restriction(tags) -> str:
    for tag, uri in GENDER_RESTRICTION.items():
        if tag in tags:
            return uri
    return "https://openactive.io/NoRestriction"


def age_range_value(tags) -> dict | None:
    minimum, maximum = age_range(tags)
    if minimum is None and maximum is None:
        return None
    found = {"@type": "QuantitativeValue"}
    if minimum is not None:
        found["minValue"] = minimum
    if maximum is not None:
        found["maxValue"] = maximum
    return found
