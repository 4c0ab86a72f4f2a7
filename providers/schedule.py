"""Weekly session times as people write them: "Tue 10:00-11:00; Thursday 6:30pm to 7:30pm"."""

import re
from datetime import time

from talkingmoves.vocabulary.times import Weekday

_DAYS = {
    **{day.label.lower(): day.value for day in Weekday},
    **{day.label.lower()[:3]: day.value for day in Weekday},
    "tues": Weekday.TUESDAY.value,
    "weds": Weekday.WEDNESDAY.value,
    "thur": Weekday.THURSDAY.value,
    "thurs": Weekday.THURSDAY.value,
}
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_SLOT = re.compile(rf"^\s*([a-z]+)\s+{_TIME}\s*(?:-|\u2013|to)\s*{_TIME}\s*$", re.IGNORECASE)


class ScheduleError(ValueError):
    pass


def _time(hours: str, minutes: str | None, meridiem: str | None, original: str) -> time:
    hour, minute = int(hours), int(minutes or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"'{original}' has a time that does not exist")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(f"'{original}' has a time that does not exist")
    return time(hour, minute)


def parse_weekly_times(text: str) -> list[tuple[int, time, time]]:
    """Parse times separated by semicolons or new lines. Raises ScheduleError naming the
    part that could not be read."""
    slots = []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _SLOT.match(part)
        if not match:
            raise ScheduleError(f"'{part}' must be a day and times, like 'Tuesday 10:00 to 11:00'")
        day = _DAYS.get(match.group(1).lower())
        if day is None:
            raise ScheduleError(f"'{match.group(1)}' is not a day of the week")
        end = _time(match.group(5), match.group(6), match.group(7) or match.group(4), part)
        start = _time(match.group(2), match.group(3), match.group(4), part)
        if not match.group(4) and match.group(7):
            # "6 to 7pm": the start shares the end's am/pm when that keeps it before the end.
            shared = _time(match.group(2), match.group(3), match.group(7), part)
            start = shared if shared < end else start
        if end <= start:
            raise ScheduleError(f"'{part}' ends before it starts")
        slots.append((day, start, end))
    return sorted(set(slots))


def format_weekly_times(slots) -> str:
    """The inverse of parse_weekly_times, one slot per line."""
    labels = dict(Weekday.choices)
    return "\n".join(
        f"{labels[day]} {start:%H:%M} to {end:%H:%M}" for day, start, end in sorted(slots)
    )
