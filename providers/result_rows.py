"""What each search result needs beside its activity row (the access features of the
activity and its venue, the weekly slots, the dated sessions to come), read as plain values,
one query each. prefetch_related read the same rows but built a queryset per activity per
relation and a model instance per row: a sixth of the search page's CPU."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from providers.models import ActivityAccessibility, OneOffSession, VenueAccessibility, WeeklySlot


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    start_time: time


@dataclass
class ResultRows:
    listed: set[str] = field(default_factory=set)  # the activity's and its venue's features
    slots: list[Slot] = field(default_factory=list)  # in WeeklySlot's order: day, then time
    session_starts: list[datetime] = field(default_factory=list)  # from `now` on


def rows_for(activities, *, now: datetime) -> dict[int, ResultRows]:
    rows = {activity.pk: ResultRows() for activity in activities}
    if not rows:
        return rows
    at_venue = defaultdict(list)
    for activity in activities:
        if activity.venue_id is not None:
            at_venue[activity.venue_id].append(activity.pk)
    features = ActivityAccessibility.objects.filter(activity_id__in=rows)
    for activity_id, feature in features.values_list("activity_id", "feature"):
        rows[activity_id].listed.add(feature)
    if at_venue:
        venue_features = VenueAccessibility.objects.filter(venue_id__in=at_venue)
        for venue_id, feature in venue_features.values_list("venue_id", "feature"):
            for activity_id in at_venue[venue_id]:
                rows[activity_id].listed.add(feature)
    slots = WeeklySlot.objects.filter(activity_id__in=rows).order_by(
        "activity_id", "weekday", "start_time"
    )
    for activity_id, weekday, start in slots.values_list("activity_id", "weekday", "start_time"):
        rows[activity_id].slots.append(Slot(weekday, start))
    sessions = OneOffSession.objects.filter(activity_id__in=rows, starts_at__gte=now)
    for activity_id, starts_at in sessions.values_list("activity_id", "starts_at"):
        rows[activity_id].session_starts.append(starts_at)
    return rows
