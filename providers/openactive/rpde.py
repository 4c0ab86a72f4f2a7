"""The RPDE envelope: pages of items, each with an id, a state, a kind, a modified marker and
(unless deleted) data. A page is checked whole before anything on it is used."""

import datetime
import enum
import json
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from providers.models import OpenActiveFeed

NEXT_URL_MAX_LENGTH = OpenActiveFeed._meta.get_field("next_url").max_length
# One item is a session series or a facility: a few kilobytes. Far larger is a broken feed.
MAX_ITEM_BYTES = 1024 * 1024


class FeedError(Exception):
    """A problem with the feed itself, worded for the partnership officer."""


@dataclass(frozen=True)
class RpdeItem:
    id: str
    state: str  # "updated" or "deleted"
    kind: str
    modified: str
    data: dict | None


@dataclass(frozen=True)
class RpdePage:
    url: str
    next_url: str
    items: list[RpdeItem]


class Outcome(enum.Enum):
    """What applying one item did."""

    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"
    UNCHANGED = "unchanged"


def parse_page(url: str, payload) -> RpdePage:
    """Check a page has the RPDE shape before anything on it is used."""

    def malformed(problem: str) -> FeedError:
        return FeedError(f"The page at {url} is not a proper OpenActive feed page: {problem}.")

    if not isinstance(payload, dict):
        raise malformed("it is not a JSON object")
    items = payload.get("items")
    if not isinstance(items, list):
        raise malformed("it has no list of items")
    next_url = payload.get("next")
    if not isinstance(next_url, str) or not next_url.strip():
        raise malformed("it has no link to the next page")
    next_url = urljoin(url, next_url.strip())
    if urlsplit(next_url).scheme not in ("http", "https"):
        raise malformed("its link to the next page is not a web address")
    if len(next_url) > NEXT_URL_MAX_LENGTH:
        raise malformed("its link to the next page is too long")
    parsed = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise malformed(f"item {position} is not a JSON object")
        item_id, modified = item.get("id"), item.get("modified")
        if isinstance(item_id, bool) or not isinstance(item_id, str | int) or item_id == "":
            raise malformed(f"item {position} has no id")
        if isinstance(modified, bool) or not isinstance(modified, str | int) or modified == "":
            raise malformed(f"item {item_id} has no modified value")
        state = item.get("state")
        if state not in ("updated", "deleted"):
            raise malformed(f"item {item_id} has state {state!r}, not 'updated' or 'deleted'")
        data = item.get("data")
        if state == "updated" and not isinstance(data, dict):
            raise malformed(f"item {item_id} is 'updated' but has no data")
        if len(json.dumps(item, separators=(",", ":"))) > MAX_ITEM_BYTES:
            raise malformed(f"item {item_id} is larger than {MAX_ITEM_BYTES // 1024 // 1024} MB")
        kind = item.get("kind")
        parsed.append(
            RpdeItem(
                id=str(item_id),
                state=state,
                kind=kind if isinstance(kind, str) else "",
                modified=str(modified),
                data=data if state == "updated" else None,
            )
        )
    return RpdePage(url=url, next_url=next_url, items=parsed)


def is_newer(modified: str, than: str) -> bool:
    """Whether an item's `modified` marker is later than the one already applied. RPDE allows
    integers or strings; strings cannot be ordered safely, so any different one counts."""
    if not than:
        return True
    if modified.isdigit() and than.isdigit():
        return int(modified) > int(than)
    return modified != than


# A `modified` this size is a Unix time in seconds (2001 onwards); in milliseconds, 1000 times
# it. Smaller numbers are change numbers, which say nothing of when.
_SECONDS_FROM = 1_000_000_000
_MILLISECONDS_FROM = _SECONDS_FROM * 1000


def published_at(item: RpdeItem, *, now=None) -> datetime.datetime:
    """When the publisher last published the item: its data's dateModified, else its RPDE
    `modified` when that is a time, else now (a change number means it changed just now, as
    far as we can tell: a harvest reads changes soon after they are made)."""
    now = now or timezone.now()
    found = None
    text = (item.data or {}).get("dateModified")
    if isinstance(text, str):
        try:
            found = parse_datetime(text.strip())
        except ValueError:
            found = None
        if found is not None and timezone.is_naive(found):
            found = timezone.make_aware(found, datetime.UTC)
    if found is None and item.modified.isdigit():
        number = int(item.modified)
        if number >= _MILLISECONDS_FROM:
            number //= 1000
        if number >= _SECONDS_FROM:
            found = datetime.datetime.fromtimestamp(number, tz=datetime.UTC)
    if found is None or found > now:
        return now
    return found
