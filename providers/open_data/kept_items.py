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
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from providers.models import KeptFeedItem
from talkingmoves.core.expressions import bigint_array

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


# JSON escapes every control character inside its strings, so no item's text holds this one
# and the items can travel as one text parameter, split on it by PostgreSQL.
SEPARATOR = "\x1e"


def keep(written: list[tuple[Any, str]], *, written_with: str) -> None:
    """Keep freshly written items (feed_rows.FeedActivity, its JSON), in one statement.
    Keeping is a saving, not a duty: if it fails the page is still sent."""
    if connection.vendor != "postgresql":
        return
    # One lock order for every writer; an item that somehow holds the separator is not kept.
    rows = sorted(
        ((activity, text) for activity, text in written if SEPARATOR not in text),
        key=lambda pair: pair[0].pk,
    )
    if not rows:
        return
    params = [
        written_with,
        bigint_array(activity.pk for activity, _ in rows),
        bigint_array(activity.modified for activity, _ in rows),
        SEPARATOR.join(text for _, text in rows),
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_UPSERT, params)
    except DatabaseError:
        logger.warning("OpenActive feed items were not kept", exc_info=True)


# By hand, not bulk_create: that sends each column as an array, and psycopg escapes an
# array's text elements in Python, a regular-expression match for every quote of every
# item's JSON (over 100 ms for a page of 500). A VALUES row per item had 2,000 placeholders,
# which psycopg splits out of the statement again each time (it keeps the split only for 50
# or fewer). Here there are four: the keys as two arrays of numbers, and the JSON texts as
# one text, which psycopg escapes in C.
_UPSERT_TEMPLATE = """
INSERT INTO {table} (activity_id, modified, written_with, json)
SELECT keys.activity_id, keys.modified, %s, items.json
FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS keys (activity_id, modified, n)
JOIN unnest(string_to_array(%s, chr(30))) WITH ORDINALITY AS items (json, n) USING (n)
ON CONFLICT (activity_id) DO UPDATE
SET modified = EXCLUDED.modified, written_with = EXCLUDED.written_with, json = EXCLUDED.json
"""
_UPSERT = _UPSERT_TEMPLATE.replace("{table}", KeptFeedItem._meta.db_table)
