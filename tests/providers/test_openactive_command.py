"""`manage.py import_openactive` end to end against a local feed, and the Celery tasks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from providers.models import Activity, OpenActiveFeed
from providers.openactive import tasks
from tests.factories import ActivePartnershipFactory
from tests.providers.openactive_fixtures.feeds import session_series


def run_command(*args) -> str:
    out = StringIO()
    call_command("import_openactive", *args, stdout=out)
    return out.getvalue()


def test_the_command_registers_the_feed_harvests_it_and_prints_the_counts(partnership, server):
    url = server.chain(
        "feed", [[session_series(1, 100), session_series(2, 101, name="")], [session_series(3, 1)]]
    )

    output = run_command(url, "--partnership", "active riverside", "--name", "Riverside sessions")

    feed = OpenActiveFeed.objects.get()
    assert (feed.name, feed.partnership, feed.url) == ("Riverside sessions", partnership, url)
    assert "Registered Riverside sessions for Active Riverside" in output
    assert "3 pages: 2 added, 0 updated, 0 removed, 1 rejected" in output
    assert "rejected SessionSeries 2: SessionSeries has no name" in output
    assert "Harvest finished" in output
    assert Activity.objects.count() == 2


def test_running_it_again_reuses_the_feed_and_resumes(partnership, server):
    url = server.chain("feed", [[session_series(1, 100)]])
    run_command(url, "--partnership", str(partnership.pk))
    server.requests.clear()

    output = run_command(url)  # registered: no need to name the partnership

    assert f"Using {url}, already registered for Active Riverside" in output
    assert "1 page: 0 added" in output
    assert server.requests == ["feed-2"]
    assert OpenActiveFeed.objects.count() == 1


def test_a_failed_harvest_exits_with_the_error_and_keeps_the_listings(partnership, server):
    url = server.chain("feed", [[session_series(1, 100)]])
    run_command(url, "--partnership", str(partnership.pk))
    server.raw("feed-2", "{not json")

    with pytest.raises(CommandError, match=r"^The page at .*/feed-2 is not valid JSON"):
        run_command(url)

    assert Activity.objects.get().name == "Series 1"
    assert OpenActiveFeed.objects.get().last_status == OpenActiveFeed.Status.FAILED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.org/feed"], "is not a web address starting https:// or http://"),
        (["https://example.org/feed", "--partnership", "Nowhere"], "No Active Partnership called"),
    ],
)
def test_bad_arguments_are_refused(partnership, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)
    assert not OpenActiveFeed.objects.exists()


def test_an_unregistered_feed_is_not_registered_without_a_partnership_and_says_how(partnership):
    with pytest.raises(CommandError, match=r"No feed is registered at .* OpenActive feeds page"):
        run_command("https://example.org/feed")
    assert not OpenActiveFeed.objects.exists()


def test_a_registered_feed_is_harvested_whichever_partnership_registered_it(partnership, server):
    ActivePartnershipFactory(name="Active Hillside")
    url = server.chain("feed", [[session_series(1, 100)]])
    OpenActiveFeed.objects.create(partnership=partnership, name="Riverside sessions", url=url)

    output = run_command(url)  # two partnerships, but only one has this feed

    assert "Using Riverside sessions, already registered for Active Riverside" in output
    assert Activity.objects.count() == 1


def test_a_feed_two_partnerships_registered_needs_the_partnership_named(partnership, server):
    hillside = ActivePartnershipFactory(name="Active Hillside")
    url = server.chain("feed", [[session_series(1, 100)]])
    OpenActiveFeed.objects.create(partnership=partnership, name="Riverside", url=url)
    OpenActiveFeed.objects.create(partnership=hillside, name="Hillside", url=url)

    with pytest.raises(CommandError, match=r"have both registered .* --partnership"):
        run_command(url)

    assert "already registered for Active Hillside" in run_command(
        url, "--partnership", "Active Hillside"
    )


def test_a_removed_feed_is_not_harvested_by_the_command(partnership, server):
    url = server.chain("feed", [[session_series(1, 100)]])
    OpenActiveFeed.objects.create(
        partnership=partnership, name="Gone", url=url, removed_at=timezone.now()
    )
    with pytest.raises(CommandError, match="was removed by Active Riverside"):
        run_command(url)
    assert not Activity.objects.exists()


# --- tasks (called directly; the lead's real-worker tests cover the broker) ------------------


def test_the_task_harvests_one_feed(partnership, server, settings):
    settings.OPENACTIVE_ALLOW_PRIVATE_HOSTS = True
    url = server.chain("feed", [[session_series(1, 100)]])
    feed = OpenActiveFeed.objects.create(partnership=partnership, name="Feed", url=url)

    tasks.harvest_feed(feed.pk)

    assert feed.runs.get().added == 1
    tasks.harvest_feed(feed.pk + 1000)  # a feed deleted since it was queued: nothing happens


def test_the_periodic_task_queues_every_active_feed(
    partnership, django_capture_on_commit_callbacks
):
    active = OpenActiveFeed.objects.create(partnership=partnership, name="A", url="https://a.b/1")
    OpenActiveFeed.objects.create(
        partnership=partnership, name="B", url="https://a.b/2", is_active=False
    )

    with django_capture_on_commit_callbacks() as callbacks:
        tasks.harvest_all_feeds()

    assert [(c.func, c.args) for c in callbacks] == [(tasks.harvest_feed.delay, (active.pk,))]
