"""A harvest someone starts runs as a job: progress by items, the run's result on the job
page; each page is committed with its resume point, so a harvest that breaks, or whose worker
dies, keeps what it finished and the next carries on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Activity, FeedRun, OpenActiveFeed
from providers.openactive import importer
from providers.openactive.jobs import feed_harvest_start
from providers.openactive.services import feed_remove
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.services import job_run, jobs_fail_stale
from tests.providers.openactive_fixtures.feeds import session_series
from tests.providers.openactive_fixtures.harvesting import start_at


@pytest.fixture(autouse=True)
def _local_feeds(settings):
    settings.OPENACTIVE_ALLOW_PRIVATE_HOSTS = True  # the test server is on 127.0.0.1


def test_a_harvest_job_counts_items_and_shows_the_run(feed, server, partnership_staff, client_for):
    start_at(
        feed,
        server.chain(
            "feed", [[session_series(1, 100), session_series(2, 101)], [session_series(3, 102)]]
        ),
    )
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    assert job_run(job.pk) == Job.State.SUCCEEDED
    job.refresh_from_db()
    assert job.done == 3
    assert (job.result["worked"], job.result["pages"], job.result["added"]) == (True, 3, 3)
    assert Activity.objects.count() == 3

    html = client_for(partnership_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "3 added, 0 updated, 0 removed, 0 rejected" in html
    assert reverse("providers:feed_detail", kwargs={"public_id": feed.public_id}) in html


def test_a_running_harvest_shows_items_so_far(feed, partnership_staff, client_for):
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=120, total=0)
    html = client_for(partnership_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "120 done so far" in html and 'http-equiv="refresh"' in html


def test_a_feed_that_fails_is_reported_on_the_job_page(feed, server, partnership_staff, client_for):
    start_at(feed, server.url("missing"))
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    assert job_run(job.pk) == Job.State.SUCCEEDED  # the job ran; the feed did not work
    job.refresh_from_db()
    assert job.result["worked"] is False
    html = client_for(partnership_staff).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The harvest of Riverside sessions stopped" in html
    assert FeedRun.objects.get().status == OpenActiveFeed.Status.FAILED


def test_a_harvest_that_breaks_keeps_the_pages_it_finished_and_the_next_resumes(
    feed, server, partnership_staff, monkeypatch
):
    start_at(feed, server.chain("feed", [[session_series(1, 100)], [session_series(2, 101)]]))
    real = importer.FeedImporter.import_page
    pages = []

    def second_page_breaks(self, items):
        pages.append(items)
        if len(pages) == 2:
            raise RuntimeError("a bug")
        return real(self, items)

    monkeypatch.setattr(importer.FeedImporter, "import_page", second_page_breaks)
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    assert job_run(job.pk) == Job.State.FAILED
    # The first page was committed with its resume point; the second went back whole.
    assert list(Activity.objects.values_list("external_id", flat=True)) == ["1"]
    feed.refresh_from_db()
    assert feed.next_url == server.url("feed-2")

    monkeypatch.setattr(importer.FeedImporter, "import_page", real)
    server.requests.clear()
    again = feed_harvest_start(feed=feed, user=partnership_staff)
    assert job_run(again.pk) == Job.State.SUCCEEDED
    assert server.requests == ["feed-2", "feed-3"]
    assert sorted(Activity.objects.values_list("external_id", flat=True)) == ["1", "2"]


def test_a_job_whose_worker_died_carries_on_from_the_last_page_committed(
    feed, server, partnership_staff, settings
):
    """The worker died after page 1: its run is still open and the feed's resume point is
    page 2. The sweep starts the job again, which takes the run over and finishes."""
    url = server.chain("feed", [[session_series(1, 100)], [session_series(2, 101)]])
    start_at(feed, url)
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    server.page("stop-here", [session_series(1, 100)], next_path="feed-2")
    feed.next_url = server.url("stop-here")
    feed.save()
    dead = FeedRun.objects.create(feed=feed, status=OpenActiveFeed.Status.FAILED)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    settings.JOBS_STALE_AFTER_SECONDS = 0
    jobs_fail_stale(now=timezone.now() + datetime.timedelta(seconds=5))
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    server.requests.clear()

    assert job_run(job.pk) == Job.State.SUCCEEDED

    assert server.requests[0] == "stop-here"  # where the dead worker's harvest had got to
    dead.refresh_from_db()
    assert dead.finished_at is not None
    assert sorted(Activity.objects.values_list("external_id", flat=True)) == ["1", "2"]


@pytest.mark.parametrize("how", ["deleted", "removed"])
def test_a_removed_feed_fails_its_job(feed, partnership_staff, how):
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    if how == "deleted":
        feed.delete()
    else:
        feed_remove(feed=feed, by=partnership_staff)
    assert job_run(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.message == "The feed has been removed, so it was not harvested"
