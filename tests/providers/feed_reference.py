"""The OpenActive feed's presenter as it was at commit 859ef1b, before the feed page was
built from plain rows: a frozen, verbatim copy (openactive.py, and the presenting.py and
terms.py helpers it used), the reference test_open_data_feed_same_json holds the feed's
JSON to. Never edit it to make that test pass: the point is that the output is unchanged."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import groupby

from django.urls import reverse

from providers.geography import outcode_of
from providers.open_data.terms import (
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

# --- terms.py --------------------------------------------------------------------------

# The lists' orders, once: `Choices.values` builds a new list on every call, and a feed page
# asked for them 2,000 times (a quarter of building its 500 items).
SUITABLE_FOR_ORDER = tuple(SuitableFor.values)
ACCESSIBILITY_ORDER = tuple(Accessibility.values)


def rows_of(instance, relation: str) -> list:
    """A to-many relation's rows: the list providers.open_data.selectors prefetched into
    `<relation>_rows` (a prefetch without to_attr builds a queryset per row, and `.all()`
    another each time it is read), or the related manager's."""
    rows = getattr(instance, f"{relation}_rows", None)
    return rows if rows is not None else list(getattr(instance, relation).all())


def tags_of(activity) -> list[str]:
    """The activity's suitable-for codes, in the list's own order (the rows have none)."""
    found = {item.tag for item in rows_of(activity, "suitability")}
    return [tag for tag in SUITABLE_FOR_ORDER if tag in found]


def features_of(listing) -> list[str]:
    """An activity's or venue's accessibility codes, in the list's own order."""
    found = {item.feature for item in rows_of(listing, "accessibility")}
    return [feature for feature in ACCESSIBILITY_ORDER if feature in found]


# --- presenting.py ---------------------------------------------------------------------


def compact(value):
    """Drop empty fields (None, "", [], {}) at every level; 0 and False are answers."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            item = _compacted(item)
            if item is not _EMPTY:
                kept[key] = item
        return kept
    if isinstance(value, list):
        return [item for item in map(_compacted, value) if item is not _EMPTY]
    return value


_EMPTY = object()


def _compacted(item):
    """compact(item), or _EMPTY when it is None, "", [] or {} (one loop, no comparisons of
    whole dicts: a feed page compacts ~30,000 values)."""
    if item is None:
        return _EMPTY
    if isinstance(item, dict | list):
        item = compact(item)
        return item if item else _EMPTY
    if isinstance(item, str) and not item:
        return _EMPTY
    return item


def money(amount: Decimal | None) -> float | int | None:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def hh_mm(moment: time) -> str:
    return f"{moment:%H:%M}"


def utc_iso(moment: datetime, *, milliseconds: bool = False) -> str:
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds" if milliseconds else "seconds")
    return text.replace("+00:00", "Z")


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def iso_duration(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def street_address(venue) -> str:
    return ", ".join(line for line in (venue.address_line_1, venue.address_line_2) if line)


def region_of(venue, regions: dict[str, str]) -> str:
    """The local authority area of the venue's postcode district, else its town."""
    region = regions.get(outcode_of(venue.postcode), "") if venue.postcode else ""
    return region or venue.town


def exact_coordinates(venue) -> tuple[float | None, float | None]:
    # A postcode district's centre can be kilometres out: better none than a wrong pin.
    if venue.location_is_approximate:
        return None, None
    return venue.latitude, venue.longitude


# --- openactive.py ---------------------------------------------------------------------

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
