"""A harvest someone starts (registering a feed, "Harvest now") runs as a job, so its
progress shows on the job page. Beat's periodic harvests stay plain tasks (tasks.py)."""

from providers.models import OpenActiveFeed
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.registry import job_handler
from talkingmoves.jobs.services import JobFailed, job_enqueue

from .harvest import FeedBusy, feed_harvest

HARVEST = "providers.openactive_harvest"


def feed_harvest_start(*, feed: OpenActiveFeed, user) -> Job:
    return job_enqueue(HARVEST, by=user, payload={"feed_id": feed.pk})


@job_handler(
    HARVEST,
    title="Harvest an OpenActive feed",
    result_template="providers/feeds/_job_result.html",
    atomic=False,
)
def harvest(job, progress):
    """Each page commits with the feed's resume point (harvest.py), so a worker killed
    mid-harvest keeps the pages it finished, and the job's second attempt (after the sweep)
    carries on from the next one, taking over the run the dead worker left open. A feed that
    fails part-way is not a failed job: the run records it, and keeps the pages it read."""
    feed = OpenActiveFeed.objects.filter(pk=job.payload["feed_id"], removed_at__isnull=True).first()
    if feed is None:
        raise JobFailed("The feed has been removed, so it was not harvested")
    try:
        run = feed_harvest(feed=feed, progress=progress, take_over=job.attempts > 1)
    except FeedBusy:
        raise JobFailed(
            f"{feed.name} is already being harvested. Try again when that harvest has finished"
        ) from None
    return {
        "feed": feed.name,
        "feed_public_id": str(feed.public_id),
        "worked": run.status == OpenActiveFeed.Status.OK,
        "error": run.error,
        "pages": run.pages,
        "added": run.added,
        "updated": run.updated,
        "removed": run.removed,
        "rejected": run.rejected,
    }
