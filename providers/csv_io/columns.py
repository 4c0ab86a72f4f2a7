"""The spreadsheet's columns, and how one cell is read and written.

A reader takes the trimmed cell text and returns the model value, or raises CellError with a
message fit to show next to the row and column ("'Walkng' is not on the OpenActive activity
list. Did you mean 'Walking'?"). Each writer (Choice.write, tag_cell, format_slots and those in
exporting.py) is its reader's inverse.
"""

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from providers.models import ActivityType
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import (
    DeliveryMode,
    Format,
    Intensity,
    Interest,
    SuitableFor,
)
from talkingmoves.vocabulary.times import Weekday

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # how messages name it
    guide: str  # what to put in it, for the upload page
    required: bool = False


class CellError(ValueError):
    pass


def key(text: str) -> str:
    """How words are compared: case, spacing, hyphens and underscores do not matter."""
    return " ".join(re.sub(r"[-_]", " ", text).split()).casefold()


def _or_list(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


class Choice:
    """A column holding one of our choices. Each member has one word, its label in lower case
    unless given: the export writes it and messages list it. The import also reads the label,
    the stored code and the everyday `extra` words, in any case and spacing."""

    def __init__(self, choices, *, default, what: str, words=None, extra=None):
        self.words = {member: (words or {}).get(member, member.label.lower()) for member in choices}
        self.default = default
        self.what = what
        self._lookup = {key(member.value): member for member in choices}
        self._lookup |= {key(str(member.label)): member for member in choices}
        self._lookup |= {key(word): member for member, word in self.words.items()}
        self._lookup |= {key(word): member for word, member in (extra or {}).items()}

    @property
    def allowed(self) -> str:
        return _or_list(self.words.values())

    @property
    def guide(self) -> str:
        return f"{self.allowed}. Empty means {self.words[self.default]}"

    def read(self, raw: str) -> str:
        if not raw:
            return self.default
        try:
            return self._lookup[key(raw)]
        except KeyError:
            raise CellError(f"'{raw}' is not {self.what}. Enter {self.allowed}") from None

    def write(self, value: str) -> str:
        return self.words.get(value, value)


DELIVERY_MODE = Choice(
    DeliveryMode,
    default=DeliveryMode.IN_PERSON,
    what="a way of delivering an activity",
    words={DeliveryMode.BOTH: DeliveryMode.BOTH.value},
    extra={"face to face": DeliveryMode.IN_PERSON, "hybrid": DeliveryMode.BOTH},
)
INTENSITY = Choice(Intensity, default=Intensity.MODERATE, what="an intensity")
FORMAT = Choice(
    Format,
    default=Format.GROUP,
    what="a format",
    extra={"1:1": Format.ONE_TO_ONE, "1 to 1": Format.ONE_TO_ONE},
)


def tag_cell(members) -> str:
    """Tags as a cell holds them: labels separated by semicolons."""
    return "; ".join(str(member.label) for member in members)


COLUMNS = (
    Column(
        "provider_name",
        "Provider name",
        "The organisation that runs the activity. Rows with the same provider name are one "
        "provider.",
        required=True,
    ),
    Column("provider_website", "Provider website", "Optional, like https://www.example.org.uk"),
    Column("provider_email", "Provider email", "Optional"),
    Column("provider_phone", "Provider phone", "Optional"),
    Column(
        "venue_name",
        "Venue name",
        "Where it happens. Rows with the same provider, venue name and postcode are one venue. "
        "Leave the venue columns empty for an activity that is only online.",
    ),
    Column("address_line_1", "Address line 1", "Optional"),
    Column("address_line_2", "Address line 2", "Optional"),
    Column("town", "Town or city", "Optional"),
    Column("postcode", "Postcode", "Needed for a new venue, like LS1 4AP"),
    Column(
        "activity_name", "Activity name", "What people will see, like Wellbeing walk", required=True
    ),
    Column(
        "activity_type",
        "Activity type",
        "A name from the OpenActive activity list, like "
        f"{Interest.WALKING}, {Interest.YOGA} or {Interest.CHAIR_BASED_EXERCISE}",
        required=True,
    ),
    Column("description", "Description", "Optional"),
    Column("delivery_mode", "Delivery mode", DELIVERY_MODE.guide),
    Column("online_url", "Online link", "The link to join, for an online activity"),
    Column("free", "Free", "yes or no. Empty means no"),
    Column("price_full", "Full price", "In pounds, like 4.50. Leave it empty if it is free"),
    Column("price_concession", "Concession price", "Optional, in pounds, like 2.50"),
    Column("intensity", "Intensity", INTENSITY.guide),
    Column("format", "Format", FORMAT.guide),
    Column("group_size", "Largest group size", "Optional, a whole number"),
    Column("capacity", "Places per session", "Optional, a whole number"),
    Column("booking_required", "Booking required", "yes or no. Empty means no"),
    Column(
        "takes_referrals",
        "Takes referrals",
        "yes or no: can NHS Talking Therapies clinicians refer people to it? Empty means no",
    ),
    Column(
        "referral_email",
        "Referral email",
        "Where referrals go. Needed if it takes referrals, unless you give a referral phone",
    ),
    Column("referral_phone", "Referral phone", "Optional"),
    Column(
        "suitable_for",
        "Suitable for",
        f"Optional, separated by semicolons, from: {tag_cell(SuitableFor)}",
    ),
    Column(
        "accessibility",
        "Accessibility",
        f"Optional, separated by semicolons, from: {tag_cell(Accessibility)}",
    ),
    Column(
        "weekly_times",
        "Weekly times",
        "Days and times, separated by semicolons, like Tue 10:00-11:00; Thu 18:30-19:30",
    ),
    Column(
        "external_id",
        "External id",
        "Optional: your own reference for the activity. Import a row with the same external id "
        "again to change that activity instead of adding another.",
    ),
    Column(
        "activity_id",
        "Activity id",
        "Leave it empty for a new activity. The export fills it in, so an edited export "
        "changes the right activity.",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
LABELS = {column.name: column.label for column in COLUMNS}

# The two example rows in the downloadable template.
TEMPLATE_ROWS = (
    {
        "provider_name": "Riverside Walking Club",
        "provider_website": "https://www.example.org.uk",
        "provider_email": "hello@example.org.uk",
        "provider_phone": "0113 496 0000",
        "venue_name": "Riverside Park",
        "address_line_1": "Park Road",
        "town": "Leeds",
        "postcode": "LS1 4AP",
        "activity_name": "Wellbeing walk",
        "activity_type": Interest.WALKING.value,
        "description": "A gentle 45-minute walk with a cup of tea afterwards. Everyone welcome.",
        "delivery_mode": DELIVERY_MODE.write(DeliveryMode.IN_PERSON),
        "free": "yes",
        "intensity": INTENSITY.write(Intensity.GENTLE),
        "format": FORMAT.write(Format.GROUP),
        "group_size": "15",
        "booking_required": "no",
        "takes_referrals": "yes",
        "referral_email": "referrals@example.org.uk",
        "suitable_for": tag_cell([SuitableFor.BEGINNERS, SuitableFor.MENTAL_HEALTH_AWARE]),
        "accessibility": tag_cell([Accessibility.STEP_FREE]),
        "weekly_times": "Tue 10:00-11:00; Thu 18:30-19:30",
        "external_id": "RWC-001",
    },
    {
        "provider_name": "Calm Yoga",
        "provider_email": "namaste@example.org.uk",
        "activity_name": "Chair yoga online",
        "activity_type": Interest.YOGA.value,
        "description": "Seated yoga you can join from home.",
        "delivery_mode": DELIVERY_MODE.write(DeliveryMode.ONLINE),
        "online_url": "https://www.example.org.uk/join",
        "free": "no",
        "price_full": "4.00",
        "price_concession": "2.50",
        "intensity": INTENSITY.write(Intensity.GENTLE),
        "format": FORMAT.write(Format.GROUP),
        "capacity": "20",
        "booking_required": "yes",
        "takes_referrals": "no",
        "suitable_for": tag_cell([SuitableFor.OVER_50S, SuitableFor.LONG_TERM_CONDITIONS]),
        "weekly_times": "Wed 14:00-15:00",
        "external_id": "CY-7",
    },
)


def name_key(text: str) -> str:
    """How provider and venue names are matched: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


def read_text(raw: str) -> str:
    return raw


def read_yes_no(raw: str) -> bool:
    value = raw.casefold()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0", ""):
        return False
    raise CellError(f"'{raw}' is not yes or no. Enter yes or no")


def read_price(raw: str) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(raw.replace("£", "").replace(",", "").strip())
    except InvalidOperation:
        raise CellError(f"'{raw}' is not a price. Enter a price in pounds, like 4.50") from None
    if not value.is_finite():
        raise CellError(f"'{raw}' is not a price. Enter a price in pounds, like 4.50")
    if value < 0:
        raise CellError(f"'{raw}' is a negative price. Price cannot be less than £0")
    if value != value.quantize(Decimal("0.01")):
        raise CellError(f"'{raw}' has too many decimal places. Enter pounds and pence, like 4.50")
    if value >= 100_000:
        raise CellError(f"'{raw}' is too high. Price must be less than £100,000")
    return value.quantize(Decimal("0.01"))


def _whole_number(label: str):
    def read(raw: str) -> int | None:
        if not raw:
            return None
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise CellError(f"'{raw}' is not a whole number. {label} must be a number, like 12")
        value = int(raw)
        if value < 1:
            raise CellError(f"{label} must be 1 or more")
        if value > 100_000:
            raise CellError(f"{label} must be 100,000 or fewer")
        return value

    return read


def _tags(choices, *, what: str):
    """A reader for a list of a model's choices separated by semicolons (or commas)."""
    lookup = {key(value): value for value in choices.values}
    lookup |= {key(str(label)): value for value, label in choices.choices}
    label_keys = {key(str(label)): str(label) for label in choices.labels}

    def read(raw: str) -> list[str]:
        found, unknown = [], []
        for part in re.split(r"[;,\n]", raw):
            part = part.strip()
            value = lookup.get(key(part)) if part else None
            if part and value is None:
                unknown.append(part)
            elif value and value not in found:
                found.append(value)
        if unknown:
            messages = []
            for part in unknown:
                close = difflib.get_close_matches(key(part), label_keys, n=1, cutoff=0.6)
                hint = f" Did you mean '{label_keys[close[0]]}'?" if close else ""
                messages.append(f"'{part}' is not {what}.{hint}")
            raise CellError(" ".join(messages) + f" Use: {'; '.join(label_keys.values())}")
        return found

    return read


def read_web_address(raw: str) -> str:
    """'www.example.org' is how people write it; the model wants a scheme."""
    if raw and "://" not in raw and re.match(r"^[\w-]+(\.[\w-]+)+(/|$)", raw):
        return f"https://{raw}"
    return raw


read_suitable_for = _tags(SuitableFor, what="one of the suitable-for tags")
read_accessibility = _tags(Accessibility, what="one of the accessibility features")

# column -> (Activity field, reader)
ACTIVITY_FIELDS = {
    "activity_name": ("name", read_text),
    "description": ("description", read_text),
    "delivery_mode": ("delivery_mode", DELIVERY_MODE.read),
    "online_url": ("online_url", read_web_address),
    "free": ("is_free", read_yes_no),
    "price_full": ("price_full", read_price),
    "price_concession": ("price_concession", read_price),
    "intensity": ("intensity", INTENSITY.read),
    "format": ("format", FORMAT.read),
    "group_size": ("group_size", _whole_number("Largest group size")),
    "capacity": ("capacity", _whole_number("Places per session")),
    "booking_required": ("booking_required", read_yes_no),
    "takes_referrals": ("takes_referrals", read_yes_no),
    "referral_email": ("referral_email", read_text),
    "referral_phone": ("referral_phone", read_text),
}
# column -> Provider field; the provider's name is its key (provider_name).
PROVIDER_FIELDS = {
    "provider_website": "website",
    "provider_email": "email",
    "provider_phone": "phone",
}
# column -> Venue field; the venue's name and postcode are its key.
VENUE_FIELDS = {
    "address_line_1": "address_line_1",
    "address_line_2": "address_line_2",
    "town": "town",
}
VENUE_COLUMNS = ("venue_name", *VENUE_FIELDS, "postcode")
TAG_COLUMNS = ("suitable_for", "accessibility", "weekly_times")


class ActivityTypes:
    """The OpenActive Activity List, loaded once for a whole file: labels and alternatives."""

    def __init__(self):
        self.by_key: dict[str, ActivityType] = {}
        types = list(ActivityType.objects.only("identifier", "label", "alt_labels"))
        for activity_type in types:
            self.by_key[key(activity_type.label)] = activity_type
        for activity_type in types:
            for alt in activity_type.alt_labels or []:
                self.by_key.setdefault(key(alt), activity_type)
        self._suggestions: dict[str, str | None] = {}

    def read(self, raw: str) -> ActivityType:
        wanted = key(raw)
        if wanted in self.by_key:
            return self.by_key[wanted]
        if wanted not in self._suggestions:  # difflib is slow; a file repeats its mistakes
            close = difflib.get_close_matches(wanted, self.by_key, n=1, cutoff=0.75)
            self._suggestions[wanted] = self.by_key[close[0]].label if close else None
        suggestion = self._suggestions[wanted]
        hint = (
            f"Did you mean '{suggestion}'?"
            if suggestion
            else f"Use a name from the list, like '{Interest.WALKING}' or '{Interest.YOGA}'"
        )
        raise CellError(f"'{raw}' is not on the OpenActive activity list. {hint}")


_DAY_ABBREVIATIONS = {day.value: day.label[:3] for day in Weekday}


def format_slots(slots) -> str:
    """Weekly times as the weekly_times column has them: "Tue 10:00-11:00; Thu 18:30-19:30"."""
    return "; ".join(
        f"{_DAY_ABBREVIATIONS[day]} {start:%H:%M}-{end:%H:%M}" for day, start, end in sorted(slots)
    )
