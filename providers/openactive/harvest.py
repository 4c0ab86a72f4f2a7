"""Harvests an OpenActive RPDE feed: follow `next` until a page has no items.

Each page is applied in one transaction together with the feed's `next_url`, so a harvest that
fails part-way keeps the pages it finished and the next run starts again at the page that
failed; nothing from a page that was not fully read and checked is ever applied. Inside a page
each item has its own savepoint, so a bad item is rejected whole and the rest go in.
"""

import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from http.client import HTTPException
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from providers.models import FeedRun, OpenActiveFeed

from .importer import MAX_REJECTIONS_KEPT, FeedImporter, Tally
from .rpde import FeedError, parse_page
from .staleness import feed_answered, feed_not_answering

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0  # seconds for one page
DEFAULT_MAX_PAGES = 2000  # a guard against feeds that never end
MAX_PAGE_BYTES = 20 * 1024 * 1024
USER_AGENT = "TalkingMoves OpenActive importer (+https://openactive.io/)"
STOPPED_EARLY = "The harvest stopped before it finished."
RAN_OUT_OF_TIME = "The harvest ran out of time."
# Longer than harvest_feed's hard time limit (55 minutes, ADR 009): an open run younger than
# this may still be running.
HARVEST_LEASE = timedelta(hours=1)


class FeedBusy(Exception):
    """Another harvest of the same feed is already running."""


def feed_harvest(
    *,
    feed: OpenActiveFeed,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private_hosts: bool | None = None,
    progress=None,
    take_over: bool = False,
) -> FeedRun:
    """Harvest `feed` from where its last harvest stopped; returns the run, worked or failed.
    `progress` (a job's) hears of each page's items.

    Raises FeedBusy when the feed is being harvested already, unless `take_over` (a job run
    again because its worker died) closes the run that worker left open. Feeds on private or local
    network addresses are refused unless allowed (the management command allows them).
    """
    if allow_private_hosts is None:
        allow_private_hosts = getattr(settings, "OPENACTIVE_ALLOW_PRIVATE_HOSTS", False)
    run = _claim(feed, take_over=take_over)
    try:
        _harvest(feed, run, max_pages, timeout, allow_private_hosts, progress)
    except FeedError as error:
        _finish(feed, run, error=_explain_failure(str(error), run), feed_at_fault=True)
    except SoftTimeLimitExceeded:
        # The task's time limit (ADR 009): the page in hand rolls back, the rest is kept.
        logger.warning("Harvest of OpenActive feed %s ran out of time", feed.pk)
        _finish(feed, run, error=_explain_failure(RAN_OUT_OF_TIME, run))
    except Exception:
        logger.exception("Harvest of OpenActive feed %s failed", feed.pk)
        _finish(
            feed,
            run,
            error="The harvest stopped because of a problem in TalkingMoves, not in the feed. "
            "The error has been logged for the technical team.",
        )
        raise
    else:
        _finish(feed, run)
    return run


def _harvest(feed, run, max_pages, timeout, allow_private_hosts, progress=None) -> None:
    importer = FeedImporter(feed=feed)
    url = feed.next_url or feed.url
    seen_urls: set[str] = set()
    seen_items: set[tuple[str, str]] = set()
    for _ in range(max_pages):
        page = parse_page(
            url, fetch_json(url, timeout=timeout, allow_private_hosts=allow_private_hosts)
        )
        if not page.items:
            _save_page(feed, run, url, Tally())
            return
        keys = {(item.id, item.modified) for item in page.items}
        if url in seen_urls or keys <= seen_items:
            raise FeedError(
                f"The feed is going round in a loop: it sent the same items again at {url}."
            )
        seen_urls.add(url)
        seen_items |= keys
        with transaction.atomic():
            tally = importer.import_page(page.items)
            _save_page(feed, run, page.next_url, tally)
        if progress is not None:
            progress.advance(len(page.items))
        if page.next_url == url:
            return  # a last page that still has items points at itself
        url = page.next_url
    raise FeedError(
        f"The harvest stopped after {max_pages:,} pages without reaching the end of the feed, "
        "in case the feed never ends."
    )


def _save_page(feed, run, next_url: str, tally: Tally) -> None:
    if feed.next_url != next_url:
        feed.next_url = next_url
        feed.save(update_fields=["next_url"])
    run.pages += 1
    run.added += tally.added
    run.updated += tally.updated
    run.removed += tally.removed
    run.rejected += tally.rejected
    room = MAX_REJECTIONS_KEPT - len(run.rejections)
    run.rejections = run.rejections + tally.rejections[: max(room, 0)]
    run.save(update_fields=["pages", "added", "updated", "removed", "rejected", "rejections"])


def _finish(feed, run, *, error: str = "", feed_at_fault: bool = False) -> None:
    now = timezone.now()
    status = OpenActiveFeed.Status.FAILED if error else OpenActiveFeed.Status.OK
    run.status, run.error, run.finished_at = status, error, now
    run.save(update_fields=["status", "error", "finished_at"])
    feed.last_run_at, feed.last_status, feed.last_error = now, status, error
    feed.save(update_fields=["last_run_at", "last_status", "last_error"])
    if not error:
        feed_answered(feed, now=now)
    elif feed_at_fault:
        feed_not_answering(feed, now=now, problem=error)


def _explain_failure(problem: str, run: FeedRun) -> str:
    if run.pages:
        pages = f"{run.pages:,} page{'s' if run.pages != 1 else ''}"
        return (
            f"{problem} The {pages} before it were imported; the next harvest carries on from "
            "the page that failed."
        )
    return f"{problem} Nothing was changed; the next harvest will try again."


def _claim(feed, *, take_over: bool = False) -> FeedRun:
    """Start a run, unless another harvest of the feed is under way (FeedBusy).

    The claim is one short transaction holding the feed's row lock, so two workers cannot
    both find the feed free; nothing session-level is held while the pages download, which
    a connection pooler in transaction mode (PgBouncer) would not keep. A run still open
    after HARVEST_LEASE lost its worker: it already reads as stopped early, and a new harvest
    carries on from its last page."""
    with transaction.atomic():
        OpenActiveFeed.objects.select_for_update().filter(pk=feed.pk).exists()
        since = timezone.now() - HARVEST_LEASE
        if take_over:
            feed.runs.filter(finished_at__isnull=True).update(finished_at=timezone.now())
        if feed.runs.filter(finished_at__isnull=True, started_at__gt=since).exists():
            raise FeedBusy(f"{feed} is already being harvested")
        return FeedRun.objects.create(
            feed=feed, status=OpenActiveFeed.Status.FAILED, error=STOPPED_EARLY
        )


def fetch_json(url: str, *, timeout: float, allow_private_hosts: bool = False):
    """GET one page and parse its JSON; every failure becomes a FeedError saying what went
    wrong. `timeout` bounds the whole download, not just each network read."""
    _check_address(url, allow_private_hosts)
    # _check_address has limited the scheme to http and https.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private_hosts))
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read(response, deadline, url, timeout)
    except urllib.error.HTTPError as error:
        raise FeedError(
            f"The feed's server answered with an error (HTTP {error.code} {error.reason}) at {url}."
        ) from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(url, timeout) from None
        raise FeedError(f"Could not connect to the feed at {url} ({error.reason}).") from None
    except (HTTPException, OSError) as error:
        raise FeedError(f"The connection to the feed at {url} failed ({error}).") from None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(f"The page at {url} is not valid JSON ({error}).") from None


def _read(response, deadline: float, url: str, timeout: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_PAGE_BYTES:
            raise FeedError(
                f"The page at {url} is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB."
            )
        if time.monotonic() > deadline:
            raise _timed_out(url, timeout)
        chunks.append(chunk)
    return b"".join(chunks)


def _timed_out(url: str, timeout: float) -> FeedError:
    return FeedError(f"The feed did not answer within {timeout:g} seconds at {url}.")


def _check_address(url: str, allow_private_hosts: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(f"The feed's address {url} is not a web address.")
    if allow_private_hosts:
        return
    # Feed addresses are typed in by users: never let one reach our own network.
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError):
        raise FeedError(f"Could not find the feed's server {parts.hostname}.") from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%", 1)[0]).is_global:
            raise FeedError(
                f"The feed's address {url} points to a private network, so it was not fetched."
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private_hosts: bool):
        self.allow_private_hosts = allow_private_hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_address(newurl, self.allow_private_hosts)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
