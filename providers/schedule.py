"""Weekly session times as people write them: "Tue 10:00-11:00; Thursday 6:30pm to 7:30pm"."""

import re
from datetime import date, time

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


_DATED = re.compile(
    rf"^\s*(?:[a-z]+,?\s+)?(\d{{1,2}})(?:/(\d{{1,2}})/|\s+([a-z]+)\s+)(\d{{4}}),?\s+{_TIME}"
    rf"\s*(?:-|\u2013|to)\s*{_TIME}\s*$",
    re.IGNORECASE,
)
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
}


def parse_dated_sessions(text: str) -> list[tuple[date, time, time]]:
    """One-off dates, one per line or separated by semicolons: "14/03/2027 10:00 to 11:00" or
    "Saturday 14 March 2027 10am-12pm". Raises ScheduleError naming the part it cannot read."""
    sessions = []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _DATED.match(part)
        if not match:
            raise ScheduleError(
                f"'{part}' must be a date and times, like '14/03/2027 10:00 to 11:00'"
            )
        day_text, month_number, month_name, year_text = match.group(1, 2, 3, 4)
        month = int(month_number) if month_number else _MONTHS.get(month_name.lower(), 0)
        try:
            day = date(int(year_text), month, int(day_text))
        except ValueError:
            raise ScheduleError(f"'{part}' has a date that does not exist") from None
        end = _time(match.group(8), match.group(9), match.group(10) or match.group(7), part)
        start = _time(match.group(5), match.group(6), match.group(7), part)
        if not match.group(7) and match.group(10):
            shared = _time(match.group(5), match.group(6), match.group(10), part)
            start = shared if shared < end else start
        if end <= start:
            raise ScheduleError(f"'{part}' ends before it starts")
        sessions.append((day, start, end))
    return sorted(set(sessions))


def format_dated_sessions(sessions) -> str:
    """The inverse of parse_dated_sessions, one session per line."""
    return "\n".join(f"{day:%d/%m/%Y} {start:%H:%M} to {end:%H:%M}" for day, start, end in sessions)
