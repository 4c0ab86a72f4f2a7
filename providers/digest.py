"""The weekly email to each Active Partnership: listings that need checking, feeds that failed."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from talkingmoves.accounts.models import Organisation, Role
from talkingmoves.notify.gateway import GatewayError, get_gateway

from .models import Activity, OpenActiveFeed, PartnershipDigest

TEMPLATE = "partnership_weekly_digest"


def _week_starting(today: date) -> date:
    return today - timedelta(days=today.weekday())


def digest_contents(partnership: Organisation, *, now=None) -> dict:
    now = now or timezone.now()
    stale = (
        Activity.objects.filter(provider__partnership=partnership, archived_at__isnull=True)
        .needs_checking(now=now)
        .count()
    )
    failed_feeds = list(
        OpenActiveFeed.objects.filter(
            partnership=partnership, is_active=True, last_status=OpenActiveFeed.Status.FAILED
        ).values_list("name", flat=True)
    )
    return {"stale_count": stale, "failed_feeds": failed_feeds}


def partnership_digest_send(*, partnership: Organisation, now=None) -> PartnershipDigest | None:
    """Send this week's digest to the partnership's staff, once. Nothing to report: no email."""
    now = now or timezone.now()
    contents = digest_contents(partnership, now=now)
    if not contents["stale_count"] and not contents["failed_feeds"]:
        return None
    recipients = list(
        partnership.users.filter(role=Role.PARTNERSHIP_STAFF, is_active=True).values_list(
            "email", flat=True
        )
    )
    if not recipients:
        return None
    week = _week_starting(timezone.localdate(now))
    try:
        with transaction.atomic():
            digest = PartnershipDigest.objects.create(
                partnership=partnership,
                week_starting=week,
                stale_count=contents["stale_count"],
                failed_feed_count=len(contents["failed_feeds"]),
            )
    except IntegrityError:
        return None  # already sent this week
    link = f"{settings.SITE_URL}{reverse('providers:list')}?status=needs_checking"
    gateway = get_gateway()
    for email in recipients:
        try:
            gateway.send_email(
                to=email,
                template=TEMPLATE,
                personalisation={
                    "partnership": partnership.name,
                    "stale_count": contents["stale_count"],
                    "failed_feeds": ", ".join(contents["failed_feeds"]) or "none",
                    "link": link,
                },
                reference=f"digest-{digest.pk}-{email}",
            )
        except GatewayError:
            # The digest is a reminder, not a record: a failed send is logged by the gateway
            # and next week's digest carries the same (or newer) news.
            continue
    return digest


def send_all_digests(*, now=None) -> int:
    sent = 0
    for partnership in Organisation.objects.filter(kind=Organisation.Kind.ACTIVE_PARTNERSHIP):
        if partnership_digest_send(partnership=partnership, now=now):
            sent += 1
    return sent
