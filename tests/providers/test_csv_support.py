"""Helpers for the CSV import and export tests (no tests here): build files as people do."""

import csv
import io

from providers import csv_io
from providers.csv_io import COLUMN_NAMES, plan_import, read_table
from providers.models import Activity, ListingChange, Provider, Venue, WeeklySlot


def walk_row(**changes) -> dict[str, str]:
    """A row that imports cleanly: an in-person walk at a new venue of a new provider."""
    row = {
        "provider_name": "Riverside Leisure",
        "provider_email": "hello@riverside.example.org",
        "venue_name": "Riverside Park",
        "address_line_1": "Park Road",
        "town": "Leeds",
        "postcode": "LS1 4AP",
        "activity_name": "Wellbeing walk",
        "activity_type": "Walking",
        "description": "A gentle walk.",
        "delivery_mode": "in person",
        "free": "yes",
        "intensity": "gentle",
        "format": "group",
        "takes_referrals": "yes",
        "referral_email": "referrals@riverside.example.org",
        "suitable_for": "Beginners",
        "weekly_times": "Tue 10:00-11:00",
    }
    row.update(changes)
    return row


def online_row(**changes) -> dict[str, str]:
    row = {
        "provider_name": "Calm Yoga",
        "activity_name": "Chair yoga online",
        "activity_type": "Yoga",
        "delivery_mode": "online",
        "online_url": "https://calm.example.org/join",
        "free": "no",
        "price_full": "4.00",
        "weekly_times": "Wed 14:00-15:00",
    }
    row.update(changes)
    return row


def csv_text(rows, *, columns=COLUMN_NAMES) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


def csv_bytes(rows, *, columns=COLUMN_NAMES, bom=False, encoding="utf-8") -> bytes:
    return ("\ufeff" if bom else "").encode(encoding) + csv_text(rows, columns=columns).encode(
        encoding
    )


def table_of(rows, **kwargs):
    return read_table(data=csv_bytes(rows, **kwargs))


def many_rows(count: int, *, first: int = 0) -> list[dict[str, str]]:
    """A partnership's file: 10 providers with 2 venues each, and `count` activities
    (numbered from `first`)."""
    return [
        walk_row(
            provider_name=f"Provider {n % 10}",
            provider_email=f"hello{n % 10}@example.org",
            venue_name=f"Venue {n % 20}",
            postcode=f"LS{1 + n % 20} 4AP",
            activity_name=f"Activity {n}",
            activity_type=["Walking", "Yoga", "Swimming", "Pilates"][n % 4],
            weekly_times="Tue 10:00-11:00; Thu 18:30-19:30",
            suitable_for="Beginners; Over 50s",
            accessibility="Step-free access",
            external_id=f"ID-{n}",
        )
        for n in range(first, first + count)
    ]


def problems_of(rows, user, **kwargs):
    plan = plan_import(table=table_of(rows, **kwargs), user=user)
    return [(p.row, p.column, p.message) for p in plan.problems]


def import_rows(rows, user):
    return csv_io.import_table(table=table_of(rows), user=user)


def counts():
    """What an import could add to: providers, venues, activities, times, history."""
    return (
        Provider.objects.count(),
        Venue.objects.count(),
        Activity.objects.count(),
        WeeklySlot.objects.count(),
        ListingChange.objects.count(),
    )
