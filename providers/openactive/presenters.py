"""Display values for the feed pages, so the templates hold no logic."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from providers.models import FeedRun, OpenActiveFeed

# A run with no finish time after this long was cut short (a worker died, a deploy).
RUN_PRESUMED_STOPPED_AFTER = timedelta(hours=2)
REJECTIONS_SHOWN = 200


@dataclass(frozen=True)
class Status:
    label: str
    tag_class: str


NOT_RUN = Status(OpenActiveFeed.Status.NEVER_RUN.label, "nhsuk-tag--grey")
RUNNING = Status("Running", "nhsuk-tag--blue")  # a run has no status until it finishes
WORKED = Status(OpenActiveFeed.Status.OK.label, "nhsuk-tag--green")
FAILED = Status(OpenActiveFeed.Status.FAILED.label, "nhsuk-tag--red")


def run_status(run: FeedRun | None, *, now=None) -> Status:
    if run is None:
        return NOT_RUN
    if run.finished_at is None:
        now = now or timezone.now()
        return RUNNING if now - run.started_at < RUN_PRESUMED_STOPPED_AFTER else FAILED
    return WORKED if run.status == OpenActiveFeed.Status.OK else FAILED


def _problem(run: FeedRun | None, status: Status) -> str:
    return run.error if run is not None and status is FAILED else ""


@dataclass(frozen=True)
class FeedRow:
    feed: OpenActiveFeed
    run: FeedRun | None
    status: Status
    problem: str


def feed_row(feed: OpenActiveFeed, run: FeedRun | None, *, now=None) -> FeedRow:
    status = run_status(run, now=now)
    return FeedRow(feed=feed, run=run, status=status, problem=_problem(run, status))


def feed_rows(feeds) -> list[FeedRow]:
    now = timezone.now()
    return [feed_row(feed, feed.latest_run, now=now) for feed in feeds]


@dataclass(frozen=True)
class RunRow:
    run: FeedRun
    status: Status
    problem: str


def run_rows(runs) -> list[RunRow]:
    now = timezone.now()
    rows = []
    for run in runs:
        status = run_status(run, now=now)
        rows.append(RunRow(run=run, status=status, problem=_problem(run, status)))
    return rows


@dataclass(frozen=True)
class Rejection:
    run_started_at: object
    item_id: str
    kind: str
    problem: str


def rejections(runs) -> list[Rejection]:
    """Items refused in recent runs: they stay out until the publisher changes them."""
    found = []
    for run in runs:
        for rejection in run.rejections or []:
            found.append(
                Rejection(
                    run_started_at=run.started_at,
                    item_id=str(rejection.get("id", "")),
                    kind=str(rejection.get("kind", "")),
                    problem=str(rejection.get("problem", "")),
                )
            )
            if len(found) == REJECTIONS_SHOWN:
                return found
    return found
