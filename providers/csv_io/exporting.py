"""Writing listings in the import format: the template and the export.

Each cell is written as its column's reader (columns.py) reads it, so an exported file
imports back with nothing changed.
"""

import csv
import io

from django.db.models import Prefetch

from providers.csv_io.columns import (
    COLUMN_NAMES,
    DELIVERY_MODE,
    FORMAT,
    INTENSITY,
    TEMPLATE_ROWS,
    format_slots,
    tag_cell,
)
from providers.csv_io.reading import escape_cell
from providers.models import Activity, Source, WeeklySlot
from providers.scopes import editable
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import SuitableFor


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _number(value) -> str:
    return "" if value is None else str(value)


def _tag_labels(choices, values: set[str]) -> str:
    return tag_cell(member for member in choices if member in values)


def export_row(activity: Activity) -> dict[str, str]:
    """One activity as a row of the import format. The caller prefetches its relations."""
    provider, venue = activity.provider, activity.venue
    return {
        "provider_name": provider.name,
        "provider_website": provider.website,
        "provider_email": provider.email,
        "provider_phone": provider.phone,
        "venue_name": venue.name if venue else "",
        "address_line_1": venue.address_line_1 if venue else "",
        "address_line_2": venue.address_line_2 if venue else "",
        "town": venue.town if venue else "",
        "postcode": venue.postcode if venue else "",
        "activity_name": activity.name,
        "activity_type": activity.activity_type.label,
        "description": activity.description,
        "delivery_mode": DELIVERY_MODE.write(activity.delivery_mode),
        "online_url": activity.online_url,
        "free": _yes(activity.is_free),
        "price_full": _money(activity.price_full),
        "price_concession": _money(activity.price_concession),
        "intensity": INTENSITY.write(activity.intensity),
        "format": FORMAT.write(activity.format),
        "group_size": _number(activity.group_size),
        "capacity": _number(activity.capacity),
        "booking_required": _yes(activity.booking_required),
        "takes_referrals": _yes(activity.takes_referrals),
        "referral_email": activity.referral_email,
        "referral_phone": activity.referral_phone,
        "suitable_for": _tag_labels(SuitableFor, {t.tag for t in activity.suitability.all()}),
        "accessibility": _tag_labels(
            Accessibility, {item.feature for item in activity.accessibility.all()}
        ),
        "weekly_times": format_slots(
            (slot.weekday, slot.start_time, slot.end_time) for slot in activity.weekly_slots.all()
        ),
        # A feed's item ids are the feed's, not the partnership's own.
        "external_id": activity.external_id if activity.source == Source.CSV else "",
        "activity_id": str(activity.public_id),
    }


def write_csv(rows) -> bytes:
    """The column names, then the rows, as UTF-8 with a byte order mark so that Excel reads
    it as UTF-8. Every cell is made safe from running as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    for row in rows:
        writer.writerow([escape_cell(row.get(name, "")) for name in COLUMN_NAMES])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_csv() -> bytes:
    return write_csv(TEMPLATE_ROWS)


def activities_for_export(*, user):
    return (
        editable(user, Activity)
        .live()
        .select_related("provider", "venue", "activity_type")
        .prefetch_related(
            "suitability",
            "accessibility",
            Prefetch("weekly_slots", queryset=WeeklySlot.objects.order_by()),
        )
        .order_by("provider__name", "venue__name", "name", "pk")
    )


def export_csv(*, user) -> bytes:
    """The live listings the user may change, in exactly the import format."""
    return write_csv(export_row(activity) for activity in activities_for_export(user=user))
