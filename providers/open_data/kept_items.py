"""Our OpenActive feed's items kept as written, so a page rewrites only what has changed.

An item's JSON depends on its activity, provider and venue, and on nothing else that moves
without its feed `modified` moving (RPDE needs that anyway: harvesters re-read an item only
when it does). So an item written once is kept (KeptFeedItem) and sent again, as text, for as
long as its `modified` and `written_with` are the same: `written_with` is a digest of the
code and vocabularies that write items, and the site's address the links are made from, so a
release that writes items differently never sends what an earlier one kept.

Not kept: an item with one-off sessions to come, whose `subEvent` list (and whether it is
published at all) changes as the sessions pass, without any save.
Only on PostgreSQL (the keys' query compares `modified` there); the SQLite demo writes every
item each time.
"""

import hashlib
import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from providers.models import KeptFeedItem

logger = logging.getLogger(__name__)

# Everything an item is written from besides its rows: the writer and the vocabularies.
WRITTEN_FROM = (
    "providers/open_data/feed_json.py",
    "providers/open_data/feed_rows.py",
    "providers/open_data/openactive.py",
    "providers/open_data/presenting.py",
    "providers/open_data/terms.py",
    "providers/data/accessibility-support.jsonld",
    "providers/data/activity-list.jsonld",
    "talkingmoves/vocabulary/*.py",
)


@cache
def writer_digest() -> str:
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for pattern in WRITTEN_FROM:
        for path in sorted(base.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def written_with(root: str) -> str:
    return f"{writer_digest()} {root}"


def keepable(activity) -> bool:
    return not activity.sessions


def keep(written: list[tuple[object, str]], *, written_with: str) -> None:
    """Keep freshly written items (feed_rows.FeedActivity, its JSON), in one statement.
    Keeping is a saving, not a duty: if it fails the page is still sent."""
    if not written or connection.vendor != "postgresql":
        return
    rows = sorted(written, key=lambda pair: pair[0].pk)  # one lock order for every writer
    try:
        with transaction.atomic():
            KeptFeedItem.objects.bulk_create(
                [
                    KeptFeedItem(
                        activity_id=activity.pk,
                        modified=activity.modified,
                        written_with=written_with,
                        json=text,
                    )
                    for activity, text in rows
                ],
                update_conflicts=True,
                unique_fields=["activity"],
                update_fields=["modified", "written_with", "json"],
            )
    except DatabaseError:
        logger.warning("OpenActive feed items were not kept", exc_info=True)
