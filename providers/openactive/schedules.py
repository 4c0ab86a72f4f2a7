"""When: weekly times from Schedules and opening hours, and dated sessions."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from providers.openactive.values import (
    KEY_MAX_LENGTH,
    ItemProblem,
    add_duration,
    as_list,
    read_days,
    read_duration,
    read_text,
    read_time,
    short_key,
)
from talkingmoves.vocabulary.times import Weekday

SERIES_SESSION_PREFIX = "series:"
NOT_HAPPENING = ("EventCancelled", "EventPostponed")
_WEEKLY = {"P1W", "P7D"}
_DAILY = {"P1D"}

Slots = tuple[tuple[int, datetime.time, datetime.time], ...]


@dataclass(frozen=True)
class SessionFields:
    key: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def weekly_slots(schedules, what: str) -> Slots:
    slots = set()
    for schedule in as_list(schedules):
        if not isinstance(schedule, dict):
            continue
        frequency = read_text(schedule.get("repeatFrequency")).upper()
        if frequency in _DAILY:
            days = set(Weekday.values)
        elif frequency in _WEEKLY or not frequency:
            days = read_days(schedule.get("byDay"))
        else:
            continue  # monthly and other patterns have no weekly time to show
        start = read_time(schedule.get("startTime"))
        if not days or start is None:
            continue
        end = read_time(schedule.get("endTime")) or add_duration(start, schedule.get("duration"))
        if end is None:
            continue
        if end <= start:
            raise ItemProblem(
                f"{what} schedule ends before it starts ({start:%H:%M} to {end:%H:%M})"
            )
        slots.update((day, start, end) for day in days)
    return tuple(sorted(slots))


def opening_hours_slots(hours) -> Slots:
    slots = set()
    for spec in as_list(hours):
        if not isinstance(spec, dict):
            continue
        opens, closes = read_time(spec.get("opens")), read_time(spec.get("closes"))
        # "00:00" to "00:00" is how opening hours say closed; overnight hours are skipped.
        if opens is None or closes is None or closes <= opens:
            continue
        slots.update((day, opens, closes) for day in read_days(spec.get("dayOfWeek")))
    return tuple(sorted(slots))


def series_sub_events(data: dict, item_id: str, what: str) -> tuple[SessionFields, ...]:
    sessions = {}
    series_duration = data.get("duration")
    for sub_event in as_list(data.get("subEvent")):
        if not isinstance(sub_event, dict):
            continue
        if read_text(sub_event.get("eventStatus")).endswith(NOT_HAPPENING):
            continue
        starts_at, ends_at = start_and_end(sub_event, "ScheduledSession", series_duration)
        reference = read_text(sub_event.get("@id") or sub_event.get("id")) or (
            f"{item_id}#{read_text(sub_event.get('identifier')) or starts_at.isoformat()}"
        )
        # The prefix survives hashing, so a series' own sessions can be told from the rest.
        room = KEY_MAX_LENGTH - len(SERIES_SESSION_PREFIX)
        key = SERIES_SESSION_PREFIX + short_key(reference, max_length=room)
        sessions[key] = SessionFields(key=key, starts_at=starts_at, ends_at=ends_at)
    return tuple(sessions[key] for key in sorted(sessions))


def start_and_end(
    event: dict, what: str, fallback_duration=None
) -> tuple[datetime.datetime, datetime.datetime]:
    raw_start = read_text(event.get("startDate"))
    if not raw_start:
        raise ItemProblem(f"{what} has no start date")
    starts_at = _datetime(raw_start, what, "start")
    raw_end = read_text(event.get("endDate"))
    if raw_end:
        ends_at = _datetime(raw_end, what, "end")
        if parse_date(raw_end) is not None:  # a date alone: the whole of that day
            ends_at += datetime.timedelta(days=1)
    else:
        duration = read_duration(event.get("duration")) or read_duration(fallback_duration)
        if duration is None:
            raise ItemProblem(f"{what} has no end date or duration")
        ends_at = starts_at + duration
    if ends_at <= starts_at:
        raise ItemProblem(f"{what} ends before it starts")
    return starts_at, ends_at


def _datetime(text: str, what: str, which: str) -> datetime.datetime:
    try:
        value = parse_datetime(text)
        if value is None and (day := parse_date(text)) is not None:
            value = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        value = None
    if value is None:
        raise ItemProblem(f"{what} {which} date '{text}' is not a date and time")
    return value if timezone.is_aware(value) else timezone.make_aware(value)
