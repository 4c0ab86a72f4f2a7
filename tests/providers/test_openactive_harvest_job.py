"""A harvest someone starts runs as a job: progress by items, the run's result on the job
page, and a harvest that breaks leaves the directory as it was."""

import pytest
from django.urls import reverse

from providers.models import Activity, FeedRun, OpenActiveFeed
from providers.openactive import importer
from providers.openactive.jobs import feed_harvest_start
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.services import job_run
from tests.providers.openactive_fixtures.feeds import session_series
from tests.providers.openactive_fixtures.harvesting import directory_state, start_at


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


def test_a_harvest_that_breaks_leaves_nothing_applied(feed, server, partnership_staff, monkeypatch):
    start_at(feed, server.chain("feed", [[session_series(1, 100)], [session_series(2, 101)]]))
    real = importer.FeedImporter.import_page
    pages = []

    def second_page_breaks(self, items):
        pages.append(items)
        if len(pages) == 2:
            raise RuntimeError("a bug")
        return real(self, items)

    monkeypatch.setattr(importer.FeedImporter, "import_page", second_page_breaks)
    before = directory_state()
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    assert job_run(job.pk) == Job.State.FAILED
    assert directory_state() == before  # the first page went back with the second
    assert not FeedRun.objects.exists()
    feed.refresh_from_db()
    assert feed.next_url == ""


def test_a_removed_feed_fails_its_job(feed, partnership_staff):
    job = feed_harvest_start(feed=feed, user=partnership_staff)
    feed.delete()
    assert job_run(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.message == "The feed has been removed, so it was not harvested"
