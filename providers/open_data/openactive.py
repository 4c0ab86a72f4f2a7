"""Our activities as OpenActive SessionSeries, published through an RPDE feed."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import groupby

from django.urls import reverse

from providers.open_data.presenting import (
    compact,
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
    ACCESSIBILITY_SUPPORT,
    ACTIVITY_LIST,
    OPENACTIVE_ACCESSIBILITY_URI,
    SCHEMA_DAYS,
    age_range,
    derived_id,
    features_of,
    openactive_accessibility_labels,
    rows_of,
    tags_of,
)
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode, SuitableFor

CONTEXT = ["https://openactive.io/", "https://openactive.io/ns-beta"]
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
KIND = "SessionSeries"

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


def rpde_item(activity, *, published: bool, links: Links, regions: dict[str, str]) -> dict:
    item = {
        "state": "updated" if published else "deleted",
        "kind": KIND,
        "id": str(activity.public_id),
        "modified": modified_number(activity.modified_at),
    }
    if published:
        item["data"] = session_series(activity, links=links, regions=regions)
    return item


def session_series(activity, *, links: Links, regions: dict[str, str]) -> dict:
    tags = set(tags_of(activity))
    series_id = links.session_series(activity)
    # Listings have no public page of their own; the service record is the fallback.
    url = activity.provider.website or links.service(activity)
    return compact(
        {
            "@context": CONTEXT,
            "@type": "SessionSeries",
            "@id": series_id,
            "identifier": str(activity.public_id),
            "name": activity.name,
            "description": activity.description,
            "url": url,
            "activity": [activity_concept(activity.activity_type)],
            "organizer": organizer(activity.provider, links=links),
            "location": place(activity.venue, links=links, regions=regions),
            "eventAttendanceMode": ATTENDANCE_MODE[activity.delivery_mode],
            "eventSchedule": event_schedule(activity),
            "subEvent": sub_events(activity, series_id=series_id, url=url),
            "offers": offers(activity),
            "isAccessibleForFree": True if activity.is_free else None,
            "accessibilitySupport": accessibility_support(activity),
            "accessibilityInformation": accessibility_information(activity),
            "genderRestriction": gender_restriction(tags),
            "ageRange": age_range_value(tags),
            "level": ["Beginner"] if SuitableFor.BEGINNERS in tags else [],
            "maximumAttendeeCapacity": activity.capacity,
        }
    )


def activity_concept(activity_type) -> dict:
    return {
        "@type": "Concept",
        "@id": activity_type.uri,
        "prefLabel": activity_type.label,
        "inScheme": ACTIVITY_LIST,
    }


def organizer(provider, *, links: Links) -> dict:
    return {
        "@type": "Organization",
        "@id": links.organizer(provider),
        "identifier": str(provider.public_id),
        "name": provider.name,
        "url": provider.website,
        "email": provider.email,
        "telephone": provider.phone,
    }


def place(venue, *, links: Links, regions: dict[str, str]) -> dict | None:
    if venue is None:
        return None
    latitude, longitude = exact_coordinates(venue)
    return {
        "@type": "Place",
        "@id": links.place(venue),
        "identifier": str(venue.public_id),
        "name": venue.name,
        # Sent even when incomplete: a postcode alone still lets a finder place the venue.
        "address": {
            "@type": "PostalAddress",
            # OpenActive requires a street address; a venue with none (only a postcode)
            # gives its name, the first line a letter to it would have.
            "streetAddress": street_address(venue) or venue.name,
            # A venue known only by its postcode: its district's local authority area.
            "addressLocality": venue.town or region_of(venue, regions),
            "addressRegion": region_of(venue, regions),
            "postalCode": venue.postcode,
            "addressCountry": "GB",
        },
        "geo": (
            {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
            if latitude is not None
            else None
        ),
    }


def event_schedule(activity) -> list[dict]:
    slots = sorted(
        rows_of(activity, "weekly_slots"), key=lambda s: (s.start_time, s.end_time, s.weekday)
    )
    return [
        {
            "@type": "PartialSchedule",
            "repeatFrequency": "P1W",
            "byDay": [SCHEMA_DAYS[slot.weekday] for slot in group],
            "startTime": hh_mm(start),
            "endTime": hh_mm(end),
            "duration": iso_duration(minutes_between(start, end)),
            "scheduleTimezone": "Europe/London",
        }
        for (start, end), group in groupby(slots, key=lambda s: (s.start_time, s.end_time))
    ]


def sub_events(activity, *, series_id: str, url: str) -> list[dict]:
    found = []
    for session in activity.upcoming_sessions:
        minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
        session_id = derived_id("session", activity.public_id, session.pk)
        found.append(
            {
                "@type": "ScheduledSession",
                "@id": f"{series_id}/sessions/{session_id}",
                "url": url,
                "eventStatus": "https://schema.org/EventScheduled",
                "startDate": utc_iso(session.starts_at),
                "endDate": utc_iso(session.ends_at),
                "duration": iso_duration(minutes),
                # A session inherits the series' offers, so it must say "free" itself too.
                "isAccessibleForFree": True if activity.is_free else None,
            }
        )
    return found


def offers(activity) -> list[dict]:
    if activity.is_free:
        prices = [("free", "Free", Decimal(0))]
    else:
        prices = [
            ("full", "Full price", activity.price_full),
            ("concession", "Concession", activity.price_concession),
        ]
    return [
        {
            "@type": "Offer",
            "identifier": key,
            "name": name,
            "price": money(price),
            "priceCurrency": "GBP",
            "url": activity.provider.website,
        }
        for key, name, price in prices
        if price is not None
    ]


def accessibility_support(activity) -> list[dict]:
    labels = openactive_accessibility_labels()
    uris = [OPENACTIVE_ACCESSIBILITY_URI.get(feature) for feature in features_of(activity)]
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
    features = [f for f in features_of(activity) if f not in OPENACTIVE_ACCESSIBILITY_URI]
    notes = []
    if activity.venue is not None:
        features += features_of(activity.venue)
        notes = [activity.venue.access_notes.rstrip(".")] if activity.venue.access_notes else []
    sentences = [Accessibility(feature).label for feature in dict.fromkeys(features)] + notes
    return " ".join(f"{sentence}." for sentence in sentences)


def gender_restriction(tags) -> str:
    for tag, uri in GENDER_RESTRICTION.items():
        if tag in tags:
            return uri
    return "https://openactive.io/NoRestriction"


def age_range_value(tags) -> dict | None:
    minimum, maximum = age_range(tags)
    if minimum is None and maximum is None:
        return None
    return {"@type": "QuantitativeValue", "minValue": minimum, "maxValue": maximum}
