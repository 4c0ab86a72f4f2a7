"""Feed listings are kept current by their publisher, so they go out of date only when the feed
stops answering: after FEED_STALE_AFTER without a harvest reaching the end of the feed, the
feed is marked stale (its listings then need checking) and the partnership's staff are told by
email. The first harvest that reads the feed again clears it."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from providers.models import OpenActiveFeed
from talkingmoves.accounts.models import Role
from talkingmoves.notify.gateway import GatewayError, get_gateway

logger = logging.getLogger(__name__)

TEMPLATE = "openactive_feed_stopped"
DEFAULT_STALE_AFTER = timedelta(days=3)


def stale_after() -> timedelta:
    return getattr(settings, "OPENACTIVE_FEED_STALE_AFTER", DEFAULT_STALE_AFTER)


def feed_answered(feed: OpenActiveFeed, *, now) -> None:
    feed.last_success_at, feed.stale_since = now, None
    feed.save(update_fields=["last_success_at", "stale_since"])


def feed_not_answering(feed: OpenActiveFeed, *, now, problem: str) -> None:
    """A harvest failed because of the feed: once it has not answered for long enough, mark
    it stale and tell the partnership, once until it answers again."""
    if feed.stale_since is not None:
        return
    answered = feed.last_success_at or feed.created_at
    if now - answered < stale_after():
        return
    if not OpenActiveFeed.objects.filter(pk=feed.pk, stale_since__isnull=True).update(
        stale_since=now
    ):
        return  # another worker got there first
    feed.stale_since = now
    recipients = list(
        feed.partnership.users.filter(role=Role.PARTNERSHIP_STAFF, is_active=True).values_list(
            "email", flat=True
        )
    )
    personalisation = {
        "partnership": feed.partnership.name,
        "feed": feed.name,
        "since": f"{timezone.localtime(answered):%-d %B %Y}",
        "problem": problem,
        "link": f"{settings.SITE_URL}"
        f"{reverse('providers:feed_detail', kwargs={'public_id': feed.public_id})}",
    }
    transaction.on_commit(lambda: _tell(feed.pk, now, recipients, personalisation))


def _tell(feed_id: int, now, recipients: list[str], personalisation: dict) -> None:
    gateway = get_gateway()
    for email in recipients:
        try:
            gateway.send_email(
                to=email,
                template=TEMPLATE,
                personalisation=personalisation,
                reference=f"feed-stale-{feed_id}-{now:%Y%m%d%H%M%S}-{email}",
            )
        except GatewayError:
            # The weekly partnership digest also lists failing feeds.
            logger.warning("Could not tell a partnership that feed %s stopped answering", feed_id)
