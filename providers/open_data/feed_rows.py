"""A page of the OpenActive feed as plain rows: its 500 activities, their providers and
venues and what hangs off them, in the same 7 queries as model instances and prefetches took,
without the ~2,000 instances (building them was nearly half of the page's Python)."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    KeptFeedItem,
    OneOffSession,
    VenueAccessibility,
    WeeklySlot,
)
from providers.open_data.openactive import modified_number
from providers.open_data.selectors import AnyOf, shareable_activities
from talkingmoves.core.compiled_query import (
    CompiledValues,
    Marker,
    a_moment,
    ids_for_any_of,
    owned_by,
)
from talkingmoves.core.keyset import RowCompare


@dataclass(slots=True)
class FeedProvider:
    public_id: uuid.UUID | str  # see _public_id
    name: str
    website: str
    email: str
    phone: str


@dataclass(slots=True)
class FeedVenue:
    pk: int
    public_id: uuid.UUID | str
    name: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    location_is_approximate: bool
    access_notes: str
    features: set[str] = field(default_factory=set)  # accessibility codes


@dataclass(slots=True)
class FeedActivity:
    pk: int
    public_id: uuid.UUID | str
    live: bool  # it, its provider and its venue (if any) are not archived
    name: str
    description: str
    delivery_mode: str
    is_free: bool
    price_full: Decimal | None
    price_concession: Decimal | None
    capacity: int | None
    activity_type_id: str
    activity_type_label: str
    provider_id: int
    provider: FeedProvider
    venue: FeedVenue | None
    modified: int = 0  # RPDE's `modified`: openactive.modified_number of its moment
    tags: set[str] = field(default_factory=set)  # suitable-for codes
    features: set[str] = field(default_factory=set)  # accessibility codes
    slots: list[tuple] = field(default_factory=list)  # (weekday, start_time, end_time), by pk
    sessions: list[tuple] = field(default_factory=list)  # upcoming (pk, starts_at, ends_at)

    @property
    def published(self) -> bool:
        """Published, with times an activity finder can show; else it reads as deleted."""
        return self.live and bool(self.slots or self.sessions)


# Each row's columns in the order of the dataclasses' fields.
ACTIVITY_COLUMNS = (
    "pk",
    "public_id",
    "live",
    "name",
    "description",
    "delivery_mode",
    "is_free",
    "price_full",
    "price_concession",
    "capacity",
    "activity_type_id",
    "activity_type__label",
    "provider_id",
)
PROVIDER_COLUMNS = tuple(
    f"provider__{name}" for name in ("public_id", "name", "website", "email", "phone")
)
VENUE_COLUMNS = (
    "venue_id",
    *(
        f"venue__{name}"
        for name in (
            "public_id",
            "name",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "latitude",
            "longitude",
            "location_is_approximate",
            "access_notes",
        )
    ),
)
LIVE = ExpressionWrapper(
    Q(archived_at__isnull=True, provider__archived_at__isnull=True)
    & (Q(venue__isnull=True) | Q(venue__archived_at__isnull=True)),
    output_field=BooleanField(),
)


@dataclass(slots=True)
class KeptItem:
    """An item as kept (kept_items.py): its JSON, and what the page's cursor needs."""

    pk: int
    public_id: str
    modified: int
    json: str


def feed_page(
    *, after: tuple[datetime, uuid.UUID] | None, limit: int, kept_with: str = ""
) -> list[FeedActivity | KeptItem]:
    """The next `limit` changes in (modified, id) order, deletions included; with
    `kept_with` (kept_items.written_with), an item kept with that and the same `modified`
    is read as its JSON, and only the others as rows.

    An activity's OpenActive record embeds its venue and provider, and archiving a venue or
    provider archives its activities without touching them, so the record counts as changed
    whenever any of the three was saved.
    """
    if after is None:
        keys = _keys(_FIRST_KEYS.tuples(limit, kept_with=kept_with))
    else:
        moment, public_id = after
        keys = _keys(
            _KEYS_AFTER.tuples(limit, kept_with=kept_with, moment=moment, public_id=public_id)
        )
    fresh = [pk for pk, _modified, _public_id, kept in keys if kept is None]
    activities = _activities(fresh) if fresh else {}
    page: list[FeedActivity | KeptItem] = []
    for pk, modified, public_id, kept in keys:
        if kept is not None:
            page.append(KeptItem(pk, public_id, modified, kept))
        elif pk in activities:
            # The stamp the page was ordered by, so the cursor never passes an unseen change.
            activities[pk].modified = modified
            page.append(activities[pk])
    _attach([item for item in page if isinstance(item, FeedActivity)])
    return page


def unkept_items(*, kept_with: str, after_pk: int, limit: int) -> list[FeedActivity]:
    """Up to `limit` items, in pk order after `after_pk`, that are not kept as a page would
    send them now (no kept JSON with this `modified` and `kept_with`) and could be: no
    one-off sessions to come (kept_items.keepable). PostgreSQL only, as keeping is.

    The kept row is looked up by its key for each activity (a subquery, not an anti-join):
    an anti-join's plan rests on the planner's guess of how many rows were kept with this
    `kept_with`, which is no rows at all just after a release, and a guess of one against
    20,000 real ones made it compare every pair (20 s on the bench)."""
    kept = KeptFeedItem.objects.filter(activity=OuterRef("pk"), written_with=kept_with)
    upcoming = OneOffSession.objects.filter(activity=OuterRef("pk"), ends_at__gte=timezone.now())
    keys = (
        shareable_activities()
        .annotate(
            modified_at=_feed_modified(),
            kept_modified=Coalesce(Subquery(kept.values("modified")), Value(-1)),
        )
        .filter(pk__gt=after_pk)
        .exclude(kept_modified=EpochMicroseconds(F("modified_at")))
        .exclude(Exists(upcoming))
        .order_by("pk")
        .values_list("pk", EpochMicroseconds("modified_at"))[:limit]
    )
    modified = dict(keys)
    activities = _activities(list(modified)) if modified else {}
    for pk, activity in activities.items():
        activity.modified = modified[pk]
    items = [activities[pk] for pk in modified if pk in activities]
    _attach(items)
    return items


def _changes(limit: int, *, kept_with: str, moment=None, public_id=None):
    """The next `limit` changes, after (moment, public_id) if given. On PostgreSQL (pk,
    modified number, public id, kept JSON or None): it works the number out, since loading
    500 timestamps through Django's time-zone loader was 2 ms of a page's Python. Elsewhere
    (pk, modified_at), which _keys turns into the same."""
    changes = shareable_activities().annotate(modified_at=_feed_modified())
    if moment is not None:
        changes = changes.filter(
            RowCompare(
                [F("modified_at"), F("public_id")],
                [Value(moment, DateTimeField()), Value(public_id, UUIDField())],
                ">",
            )
        )
    changes = changes.order_by("modified_at", "public_id")
    if connection.vendor != "postgresql":
        return changes.values("pk", "modified_at")[:limit]
    kept = KeptFeedItem.objects.filter(
        activity=OuterRef("pk"),
        modified=EpochMicroseconds(OuterRef("modified_at")),
        written_with=kept_with,
    )
    return changes.values(
        "pk",
        modified=EpochMicroseconds("modified_at"),
        public=Cast("public_id", TextField()),
        json=Subquery(kept.values("json")),
    )[:limit]


# The shape is the page's length; a page after a cursor has two more values to send. With no
# `kept_with` (tests) nothing matches it: no item is kept with an empty one.
_FIRST_KEYS = CompiledValues(_changes, kept_with=Marker("\x00kept with"))
_KEYS_AFTER = CompiledValues(
    _changes,
    kept_with=Marker("\x00kept with"),
    moment=a_moment(),
    public_id=Marker(uuid.UUID(int=0)),
)


def _keys(rows) -> list[tuple[int, int, str | None, str | None]]:
    """(pk, modified number, public id, kept JSON or None) of each of _changes' rows."""
    if connection.vendor != "postgresql":
        return [(pk, modified_number(at), None, None) for pk, at in rows]
    return rows


class EpochMicroseconds(Func):
    """openactive.modified_number on PostgreSQL: EXTRACT gives the epoch as an exact numeric."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


def _activity_values(_shape, *, ids):
    """ACTIVITY_COLUMNS, PROVIDER_COLUMNS and VENUE_COLUMNS of the activities, in that order,
    the public ids as _public_id reads them."""
    names, texts = [], {}
    for column in (*ACTIVITY_COLUMNS, *PROVIDER_COLUMNS, *VENUE_COLUMNS):
        if column.endswith("public_id"):
            name = column.replace("__", "_") + "_read"
            texts[name] = _public_id(column)
            column = name
        names.append(column)
    return (
        Activity.objects.filter(AnyOf("pk", ids))
        .annotate(live=LIVE, **texts)
        .order_by()
        .values(*names)
    )


# Compiled once (talkingmoves/core/compiled_query.py), as are the rows _attach reads: building
# and compiling these six statements cost more of a page of 500 unkept items than running them.
_ACTIVITIES = CompiledValues(_activity_values, ids=ids_for_any_of())


def _activities(pks: list[int]) -> dict[int, FeedActivity]:
    """The activities with their providers and venues, one object per provider and venue."""
    providers: dict[int, FeedProvider] = {}
    venues: dict[int, FeedVenue] = {}
    found = {}
    provider_at = len(ACTIVITY_COLUMNS)
    venue_at = provider_at + len(PROVIDER_COLUMNS)
    for row in _ACTIVITIES.tuples(ids=pks):
        provider = providers.get(row[provider_at - 1])
        if provider is None:
            provider = providers[row[provider_at - 1]] = FeedProvider(*row[provider_at:venue_at])
        venue = venues.get(row[venue_at])
        if venue is None and row[venue_at] is not None:
            venue = venues[row[venue_at]] = FeedVenue(*row[venue_at:])
        found[row[0]] = FeedActivity(*row[:provider_at], provider, venue)
    return found


def _public_id(column: str):
    """On PostgreSQL as text, which is all the feed does with it (str() of a page's 2,800
    UUIDs was 1.3 ms); elsewhere the UUID, whose str() is the same text."""
    return Cast(column, TextField()) if connection.vendor == "postgresql" else F(column)


def _feed_modified():
    """On PostgreSQL the column its triggers keep (providers migration 0007), read in
    the order of the index `activity_feed_by_modified`; elsewhere the same moment worked out."""
    if connection.vendor == "postgresql":
        return F("feed_modified_at")
    return Greatest(
        "updated_at", Coalesce("venue__updated_at", "updated_at"), "provider__updated_at"
    )


_TAGS = owned_by(ActivitySuitability, "activity_id", "tag", order=("pk",))
_FEATURES = owned_by(ActivityAccessibility, "activity_id", "feature", order=("pk",))
_SLOTS = owned_by(WeeklySlot, "activity_id", "weekday", "start_time", "end_time", order=("pk",))
_VENUE_FEATURES = owned_by(VenueAccessibility, "venue_id", "feature", order=("pk",))
_UPCOMING = CompiledValues(
    lambda _shape, *, ids, now: (
        OneOffSession.objects.filter(AnyOf("activity_id", ids), ends_at__gte=now)
        .order_by("starts_at")
        .values("activity_id", "pk", "starts_at", "ends_at")
    ),
    ids=ids_for_any_of(),
    now=a_moment(),
)


def _attach(page: list[FeedActivity]) -> None:
    """Each activity's tags, features, weekly slots and upcoming sessions, and its venue's
    features: one query each."""
    by_pk = {activity.pk: activity for activity in page}
    venues = {a.venue.pk: a.venue for a in page if a.venue is not None}
    if not by_pk:
        return
    pks = list(by_pk)
    for activity_id, tag in _TAGS.tuples(ids=pks):
        by_pk[activity_id].tags.add(tag)
    for activity_id, feature in _FEATURES.tuples(ids=pks):
        by_pk[activity_id].features.add(feature)
    for activity_id, *slot in _SLOTS.tuples(ids=pks):
        by_pk[activity_id].slots.append(tuple(slot))
    if venues:
        for venue_id, feature in _VENUE_FEATURES.tuples(ids=list(venues)):
            venues[venue_id].features.add(feature)
    for activity_id, *session in _UPCOMING.tuples(ids=pks, now=timezone.now()):
        by_pk[activity_id].sessions.append(tuple(session))
