"""Read queries for the feed pages."""

from django.db.models import OuterRef, Subquery

from providers.models import Activity, FeedRun, OpenActiveFeed
from talkingmoves.accounts.scoping import visible_to


def feeds_with_latest_run(*, user) -> list[OpenActiveFeed]:
    """The feeds `user` may see, each with `latest_run` (or None): two queries in all."""
    latest = FeedRun.objects.filter(feed=OuterRef("pk")).order_by("-started_at", "-pk")
    feeds = list(
        visible_to(user, OpenActiveFeed)
        .filter(removed_at__isnull=True)
        .select_related("partnership")
        .annotate(latest_run_id=Subquery(latest.values("pk")[:1]))
        .order_by("name", "pk")
    )
    run_ids = [feed.latest_run_id for feed in feeds if feed.latest_run_id]
    runs = FeedRun.objects.defer("rejections").in_bulk(run_ids) if run_ids else {}
    for feed in feeds:
        feed.latest_run = runs.get(feed.latest_run_id)
    return feeds


def feed_recent_runs(*, feed: OpenActiveFeed, limit: int = 10) -> list[FeedRun]:
    return list(feed.runs.order_by("-started_at", "-pk")[:limit])


def feed_listing_count(*, feed: OpenActiveFeed) -> int:
    """The feed's listings in search now."""
    return Activity.objects.filter(feed=feed, archived_at__isnull=True).count()
