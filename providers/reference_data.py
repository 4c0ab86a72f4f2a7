"""Loads the shipped reference tables: postcode-district centroids and the OpenActive
Activity List. Idempotent; called by a data migration and, in tests, after a table flush."""

import csv
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ACTIVITY_LIST_PREFIX = "https://openactive.io/activity-list#"


def load_outcodes(Outcode) -> int:
    if Outcode.objects.exists():
        return 0
    with (DATA_DIR / "outcode-centroids.csv").open(newline="", encoding="utf-8") as handle:
        rows = [
            Outcode(
                outcode=row["postcode"].strip().upper(),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                town=row["town"][:100],
                region=row["region"][:100],
            )
            for row in csv.DictReader(handle)
            if row["latitude"] and row["longitude"]
        ]
    Outcode.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def load_activity_types(ActivityType) -> int:
    if ActivityType.objects.exists():
        return 0
    text = (DATA_DIR / "activity-list.jsonld").read_text(encoding="utf-8")
    concepts = json.loads(text)["concept"]
    ActivityType.objects.bulk_create(
        [
            ActivityType(
                identifier=concept["identifier"],
                label=concept["prefLabel"][:100],
                notation=concept.get("notation", "")[:100],
                alt_labels=concept.get("altLabel", []),
                definition=concept.get("definition", ""),
            )
            for concept in concepts
        ],
        batch_size=1000,
    )
    through = ActivityType.broader.through
    links = [
        through(
            from_activitytype_id=concept["identifier"],
            to_activitytype_id=broader.removeprefix(ACTIVITY_LIST_PREFIX),
        )
        for concept in concepts
        for broader in concept.get("broader", [])
    ]
    through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    return len(concepts)


OTHER_ACTIVITY = "other"


def add_other_activity_type(ActivityType) -> None:
    """The activity type of feed items whose activity is on no list we know; the listing
    keeps the publisher's own label beside it (Activity.feed_activity_label)."""
    ActivityType.objects.get_or_create(
        identifier=OTHER_ACTIVITY,
        defaults={
            "label": "Other",
            "definition": "An activity that is not on the OpenActive Activity List.",
        },
    )


def load_all() -> None:
    from .models import ActivityType, Outcode

    load_outcodes(Outcode)
    load_activity_types(ActivityType)
    add_other_activity_type(ActivityType)
