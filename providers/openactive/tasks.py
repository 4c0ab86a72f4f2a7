import logging

from celery import shared_task

from providers.models import OpenActiveFeed
from talkingmoves.core.queue import enqueue_on_commit

from .harvest import FeedBusy, feed_harvest

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def harvest_feed(feed_id: int) -> None:
    """Harvest one feed. A failed harvest is recorded on the feed and retried by the next
    periodic run, which resumes where it stopped, so the task itself does not retry."""
    feed = OpenActiveFeed.objects.filter(pk=feed_id).first()
    if feed is None:
        return  # deleted since it was queued
    try:
        feed_harvest(feed=feed)
    except FeedBusy:
        logger.info("OpenActive feed %s is already being harvested; skipped", feed_id)


@shared_task(ignore_result=True)
def harvest_all_feeds() -> None:
    """Periodic: queue a harvest of every active feed."""
    feeds = OpenActiveFeed.objects.filter(is_active=True, removed_at__isnull=True)
    for feed_id in feeds.values_list("pk", flat=True):
        enqueue_on_commit(harvest_feed, feed_id)
