from celery import shared_task

from . import digest

# Celery's autodiscovery looks only at <app>/tasks.py: make the feed tasks known too.
from .open_data.tasks import keep_feed_items_ahead  # noqa: F401
from .openactive.tasks import harvest_all_feeds, harvest_feed  # noqa: F401


@shared_task(ignore_result=True)
def send_partnership_digests():
    digest.send_all_digests()
