"""The kinds of OpenActive item a finder lists, and reading an item together with its parent.

Publishers split one activity across objects: a SessionSeries' name and place may sit on its
superEvent (an EventSeries), a CourseInstance's on its Course, an IndividualFacilityUse's on its
FacilityUse. What the item leaves out is taken from the parent it embeds.
"""

from providers.openactive.schedules import (
    NOT_HAPPENING,
    SERIES_SESSION_PREFIX,
    SessionFields,
    start_and_end,
)
from providers.openactive.values import KEY_MAX_LENGTH, is_empty, read_text, short_key
from talkingmoves.vocabulary.activities import DeliveryMode

FACILITY_TYPES = frozenset({"FacilityUse", "IndividualFacilityUse"})
# Things a person can go to or join: each becomes one activity listing.
LISTING_TYPES = FACILITY_TYPES | {
    "SessionSeries",
    "EventSeries",
    "CourseInstance",
    "Course",
    "Event",
    "HeadlineEvent",
    "OnDemandEvent",
}
# Times of a listing published as items of their own: a ScheduledSession of a series, a Slot of
# a facility use.
SESSION_TYPES = frozenset({"ScheduledSession", "Slot"})
# Items that happen once, at their own startDate.
ONE_OFF_TYPES = frozenset({"Event", "HeadlineEvent"})
_PARENT_FIELDS = ("superEvent", "aggregateFacilityUse", "instanceOfCourse")
_NOT_INHERITED = {"@context", "@type", "type", "@id", "id", "identifier", "subEvent"}
_NOT_INHERITED |= set(_PARENT_FIELDS)


def with_parent(data: dict) -> dict:
    """The item's own fields over those of the parent it embeds (and that parent's parent)."""
    for field in _PARENT_FIELDS:
        parent = data.get(field)
        if isinstance(parent, dict):
            merged = {k: v for k, v in with_parent(parent).items() if k not in _NOT_INHERITED}
            merged.update((k, v) for k, v in data.items() if not is_empty(v))
            return merged
    return data


def delivery(data: dict, what: str) -> tuple[str, str]:
    """(delivery mode, the link to join online or "")."""
    location = data.get("location")
    virtual = data.get("beta:virtualLocation") or data.get("virtualLocation")
    if isinstance(location, dict) and read_text(location.get("@type")) == "VirtualLocation":
        virtual, in_person = location, False
    else:
        in_person = not is_empty(location)
    link = read_text(virtual.get("url")) if isinstance(virtual, dict) else ""
    mode = read_text(data.get("eventAttendanceMode"))
    if mode.endswith("MixedEventAttendanceMode") or (in_person and virtual):
        return DeliveryMode.BOTH, link or read_text(data.get("url"))
    if what == "OnDemandEvent" or mode.endswith("OnlineEventAttendanceMode") or virtual:
        return DeliveryMode.ONLINE, link or read_text(data.get("url"))
    return DeliveryMode.IN_PERSON, ""


def in_person_place(data: dict):
    """The item's Place, or None when it has none (or only a VirtualLocation)."""
    location = data.get("location")
    if is_empty(location):
        return None
    if isinstance(location, dict) and read_text(location.get("@type")) == "VirtualLocation":
        return None
    return location


def own_session(data: dict, item_id: str, what: str) -> tuple[SessionFields, ...]:
    """An Event's or HeadlineEvent's own date, as a dated session of its listing."""
    if what not in ONE_OFF_TYPES or not read_text(data.get("startDate")):
        return ()
    if read_text(data.get("eventStatus")).endswith(NOT_HAPPENING):
        return ()
    starts_at, ends_at = start_and_end(data, what)
    room = KEY_MAX_LENGTH - len(SERIES_SESSION_PREFIX)
    key = SERIES_SESSION_PREFIX + short_key(f"{item_id}#self", max_length=room)
    return (SessionFields(key=key, starts_at=starts_at, ends_at=ends_at),)


def parent_references(data: dict, what: str) -> list[str]:
    """The @id (or identifier) of the listing a ScheduledSession or Slot belongs to."""
    parent = data.get("facilityUse") if what == "Slot" else data.get("superEvent")
    if isinstance(parent, dict):
        references = [read_text(parent.get(k)) for k in ("@id", "id", "identifier")]
    else:
        references = [read_text(parent)]
    return [ref for ref in references if ref]


def reference_keys(references: list[str]) -> tuple[str, ...]:
    """What the parent may be found by, best first: its @id (Activity.feed_item_uri or an
    external id), for an IndividualFacilityUse its FacilityUse's @id, then the last part of
    an @id (usually the parent's RPDE id; not an IndividualFacilityUse's, which is only
    unique within its facility)."""
    exact: list[str] = []
    last_parts: list[str] = []
    for ref in references:
        exact.append(ref)
        if "/individual-facility-uses/" in ref:
            ref = ref.split("/individual-facility-uses/", 1)[0]
            exact.append(ref)
        last_parts.append(ref.rstrip("/").rsplit("/", 1)[-1])
    return tuple(dict.fromkeys(short_key(key) for key in exact + last_parts if key))
