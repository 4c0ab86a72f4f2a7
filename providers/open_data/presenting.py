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
        pairs = ((key, compact(item)) for key, item in value.items())
        return {key: item for key, item in pairs if item not in (None, "", [], {})}
    if isinstance(value, list):
        items = (compact(item) for item in value)
        return [item for item in items if item not in (None, "", [], {})]
    return value


def money(amount: Decimal | None) -> float | int | None:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def hh_mm(moment: time) -> str:
    return f"{moment:%H:%M}"


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
