import logging

from celery import shared_task

from .keep_ahead import feed_items_keep_ahead

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def keep_feed_items_ahead() -> None:
    """Periodic: write the OpenActive feed's changed items before a harvester asks."""
    written = feed_items_keep_ahead()
    if written:
        logger.info("OpenActive feed: %s items written ahead and kept", written)
