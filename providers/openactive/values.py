"""Lenient readers for JSON-LD values: publishers write the same thing many ways (a string or
a list, a Concept or its label, "https://schema.org/Monday" or "MO"). Also ItemProblem, which
every part of the mapping raises to refuse an item."""

import datetime
import hashlib
import math

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_duration

from talkingmoves.vocabulary.times import ICAL_DAYS, Weekday


class ItemProblem(Exception):
    """Why an item cannot be imported: "SessionSeries has no name"."""


def problem_text(error: Exception, what: str = "Item") -> str:
    if isinstance(error, ItemProblem):
        return str(error)
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            details = "; ".join(
                f"{name.replace('_', ' ')}: {' '.join(messages)}"
                if name != "__all__"
                else " ".join(messages)
                for name, messages in error.message_dict.items()
            )
        else:
            details = " ".join(error.messages)
        return f"{what} could not be saved ({details})"
    return f"{what} could not be saved ({str(error).splitlines()[0]})"


KEY_MAX_LENGTH = 500  # Listing.external_id and OneOffSession.external_id


def short_key(*parts: str, max_length: int = KEY_MAX_LENGTH) -> str:
    """A stable external id from feed ids, hashed when too long for the column."""
    key = " @ ".join(part for part in parts if part)
    if len(key) <= max_length:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


# Day names ("https://schema.org/Monday" ends in one), and the iCal BYDAY codes some
# publishers use in Schedule.byDay.
DAYS = {
    **{day.label.casefold(): day for day in Weekday},
    **{code.casefold(): Weekday(number) for number, code in enumerate(ICAL_DAYS)},
}


def read_text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def is_empty(value) -> bool:
    return value is None or value == "" or value == {} or value == []


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def read_concept(concept) -> tuple[str, str]:
    """(URI, label) of a Concept, or of a bare string naming one."""
    if isinstance(concept, dict):
        uri = read_text(concept.get("@id") or concept.get("id"))
        return uri, read_text(concept.get("prefLabel"))
    text = read_text(concept)
    return (text, "") if text.startswith("http") else ("", text)


def valid_or_blank(value: str, validator, max_length: int) -> str:
    # Contact details are a nicety: a malformed one is dropped rather than refusing the item.
    if not value or len(value) > max_length:
        return ""
    try:
        validator(value)
    except ValidationError:
        return ""
    return value


def read_number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def read_positive_int(value) -> int | None:
    number = read_number(value)
    return int(number) if number is not None and number >= 1 else None


def read_days(values) -> set[int]:
    days = set()
    for value in as_list(values):
        name = read_text(value).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].casefold()
        if name in DAYS:
            days.add(int(DAYS[name]))
    return days


def read_time(value) -> datetime.time | None:
    text = read_text(value)
    try:
        return datetime.time.fromisoformat(text) if text else None
    except ValueError:
        return None


def read_duration(value) -> datetime.timedelta | None:
    text = read_text(value)
    duration = parse_duration(text) if text else None
    return duration if duration and duration > datetime.timedelta(0) else None


def add_duration(start: datetime.time, value) -> datetime.time | None:
    duration = read_duration(value)
    if duration is None:
        return None
    # Past midnight the end comes out earlier than the start, which the caller refuses.
    return (datetime.datetime.combine(datetime.date(2000, 1, 1), start) + duration).time()
