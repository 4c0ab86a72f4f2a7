"""Small formatting helpers shared by the Open Referral UK and OpenActive presenters."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from providers.geography import outcode_of
from talkingmoves.vocabulary.times import Weekday

UK = ZoneInfo("Europe/London")


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
    return f"{moment.hour:02}:{moment.minute:02}"  # as %H:%M, without strftime


def utc_iso(moment: datetime, *, milliseconds: bool = False) -> str:
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds" if milliseconds else "seconds")
    return text.replace("+00:00", "Z")


def uk_local(moment: datetime) -> datetime:
    return timezone.localtime(moment, UK)


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def iso_duration(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def day_names(weekdays) -> str:
    names = [Weekday(day).label for day in weekdays]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


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
