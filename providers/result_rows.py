"""What each search result needs beside its activity row (the access features of the
activity and its venue, the weekly slots, the dated sessions to come), read as plain values,
one query each. prefetch_related read the same rows but built a queryset per activity per
relation and a model instance per row: a sixth of the search page's CPU."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from providers.models import ActivityAccessibility, OneOffSession, VenueAccessibility, WeeklySlot
from talkingmoves.core.compiled_query import CompiledValues, a_moment, ids_for_any_of, owned_by
from talkingmoves.core.expressions import AnyOf


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    start_time: time


@dataclass
class ResultRows:
    listed: set[str] = field(default_factory=set)  # the activity's and its venue's features
    slots: list[Slot] = field(default_factory=list)  # in WeeklySlot's order: day, then time
    session_starts: list[datetime] = field(default_factory=list)  # from `now` on


# Each compiled once (talkingmoves/core/compiled_query.py) and sent with the page's ids:
# building and compiling the four took longer than PostgreSQL took to answer them.
_FEATURES = owned_by(ActivityAccessibility, "activity_id", "feature")
_VENUE_FEATURES = owned_by(VenueAccessibility, "venue_id", "feature")
_SLOTS = owned_by(
    WeeklySlot, "activity_id", "weekday", "start_time",
    order=("activity_id", "weekday", "start_time"),
)  # fmt: skip
_SESSIONS = CompiledValues(
    lambda _shape, *, ids, now: OneOffSession.objects.filter(
        AnyOf("activity_id", ids), starts_at__gte=now
    ).values("activity_id", "starts_at"),
    ids=ids_for_any_of(),
    now=a_moment(),
)


def rows_for(activities, *, now: datetime) -> dict[int, ResultRows]:
    rows = {activity.pk: ResultRows() for activity in activities}
    if not rows:
        return rows
    ids = list(rows)
    at_venue = defaultdict(list)
    for activity in activities:
        if activity.venue_id is not None:
            at_venue[activity.venue_id].append(activity.pk)
    for row in _FEATURES.rows(ids=ids):
        rows[row["activity_id"]].listed.add(row["feature"])
    if at_venue:
        for row in _VENUE_FEATURES.rows(ids=list(at_venue)):
            for activity_id in at_venue[row["venue_id"]]:
                rows[activity_id].listed.add(row["feature"])
    for row in _SLOTS.rows(ids=ids):
        rows[row["activity_id"]].slots.append(Slot(row["weekday"], row["start_time"]))
    for row in _SESSIONS.rows(ids=ids, now=now):
        rows[row["activity_id"]].session_starts.append(row["starts_at"])
    return rows
