"""Our activities as OpenActive SessionSeries, published through an RPDE feed."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import groupby

from django.urls import reverse

from providers.open_data.presenting import (
    hh_mm,
    iso_duration,
    minutes_between,
    money,
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

    def root(self) -> str:
        return self._root

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


def activity_concept(activity) -> dict:
    concept = {"@type": "Concept", "@id": f"{ACTIVITY_LIST}#{activity.activity_type_id}"}
    if activity.activity_type_label:
        concept["prefLabel"] = activity.activity_type_label
    concept["inScheme"] = ACTIVITY_LIST
    return concept


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
