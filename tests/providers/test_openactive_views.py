"""The feed pages: who may use them, what they show, and registering and re-running feeds."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import FeedRun, OpenActiveFeed
from talkingmoves.jobs import services as job_services
from talkingmoves.jobs.models import Job
from tests.factories import ActivePartnershipFactory

ROLES = ["clinician", "lead", "partnership", "provider", "admin"]


@pytest.fixture
def feed(partnership):
    # Overrides the feed in tests/providers/conftest.py: the pages show a feed's history, so
    # this one has run, and failed.
    feed = OpenActiveFeed.objects.create(
        partnership=partnership,
        name="Riverside sessions",
        url="https://feeds.example.org/session-series",
        last_status=OpenActiveFeed.Status.FAILED,
    )
    FeedRun.objects.create(
        feed=feed,
        status=OpenActiveFeed.Status.OK,
        started_at=timezone.now() - timezone.timedelta(hours=2),
        finished_at=timezone.now() - timezone.timedelta(hours=2),
        pages=3,
        added=12,
        updated=4,
        removed=1,
        rejected=1,
        rejections=[{"id": "77", "kind": "SessionSeries", "problem": "Place has no name"}],
    )
    FeedRun.objects.create(
        feed=feed,
        status=OpenActiveFeed.Status.FAILED,
        finished_at=timezone.now(),
        error="The feed did not answer within 20 seconds at https://feeds.example.org/x.",
    )
    return feed


@pytest.fixture
def other_feed(db):
    return OpenActiveFeed.objects.create(
        partnership=ActivePartnershipFactory(name="Active Hillside"),
        name="Hillside sessions",
        url="https://feeds.example.org/hillside",
    )


def detail_url(feed) -> str:
    return reverse("providers:feed_detail", kwargs={"public_id": feed.public_id})


def harvest_url(feed) -> str:
    return reverse("providers:feed_harvest", kwargs={"public_id": feed.public_id})


def assert_no_inline_script_or_style(html: str) -> None:
    assert " style=" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag


# --- who may open which page ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_partnership_staff_and_admins_see_the_feed_list(cast, client_for, feed, role):
    response = client_for(cast[role]).get(reverse("providers:feed_list"))
    assert response.status_code == (200 if role in ("partnership", "admin") else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_partnership_staff_register_feeds(cast, client_for, role):
    response = client_for(cast[role]).get(reverse("providers:feed_add"))
    assert response.status_code == (200 if role == "partnership" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_partnership_staff_and_admins_see_a_feed(cast, client_for, feed, role):
    response = client_for(cast[role]).get(detail_url(feed))
    assert response.status_code == (200 if role in ("partnership", "admin") else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_partnership_staff_and_admins_harvest_a_feed(
    cast, client_for, feed, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(cast[role]).post(harvest_url(feed))
    allowed = role in ("partnership", "admin")
    assert response.status_code == (302 if allowed else 403)
    assert len(callbacks) == (1 if allowed else 0)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda feed: reverse("providers:feed_list"),
        lambda feed: reverse("providers:feed_add"),
        detail_url,
        harvest_url,
    ],
)
def test_anonymous_users_are_sent_to_sign_in(client, feed, url_of):
    response = client.get(url_of(feed))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_another_partnerships_feed_is_not_found(cast, client_for, other_feed):
    client = client_for(cast["partnership"])
    assert client.get(detail_url(other_feed)).status_code == 404
    assert client.post(harvest_url(other_feed)).status_code == 404


def test_an_unknown_feed_is_not_found(cast, client_for, db):
    missing = reverse("providers:feed_detail", kwargs={"public_id": uuid.uuid4()})
    assert client_for(cast["partnership"]).get(missing).status_code == 404


@pytest.mark.parametrize(
    ("method", "url_of"),
    [
        ("post", lambda feed: reverse("providers:feed_list")),
        ("post", detail_url),
        ("get", harvest_url),
        ("delete", lambda feed: reverse("providers:feed_add")),
    ],
)
def test_wrong_method_is_refused(cast, client_for, feed, method, url_of):
    response = getattr(client_for(cast["partnership"]), method)(url_of(feed))
    assert response.status_code == 405


# --- the list and detail pages ----------------------------------------------------------------


def test_the_list_shows_each_feeds_last_run_and_its_problem_in_plain_english(
    cast, client_for, feed, other_feed
):
    response = client_for(cast["partnership"]).get(reverse("providers:feed_list"))

    html = response.content.decode()
    assert "Riverside sessions" in html
    assert "Hillside sessions" not in html
    assert "nhsuk-tag--red" in html and ">Failed<" in html
    assert "The feed did not answer within 20 seconds" in html
    assert_no_inline_script_or_style(html)


def test_the_list_shows_counts_of_the_latest_run(cast, client_for, partnership):
    feed = OpenActiveFeed.objects.create(partnership=partnership, name="Good", url="https://a.b/c")
    FeedRun.objects.create(
        feed=feed,
        status="ok",
        finished_at=timezone.now(),
        added=7,
        updated=5,
        removed=3,
        rejected=2,
    )

    response = client_for(cast["partnership"]).get(reverse("providers:feed_list"))

    rows = response.context["rows"]
    assert [(row.status.label, row.run.added, row.run.rejected) for row in rows] == [
        ("Worked", 7, 2)
    ]


def test_the_list_needs_the_same_few_queries_however_many_feeds(
    cast, client_for, partnership, django_assert_max_num_queries
):
    for number in range(10):
        feed = OpenActiveFeed.objects.create(
            partnership=partnership, name=f"Feed {number}", url=f"https://a.b/{number}"
        )
        FeedRun.objects.create(feed=feed, status="ok", finished_at=timezone.now(), added=number)
    client = client_for(cast["partnership"])
    # session, user, feeds (with their latest run's id), the runs, the header's organisation,
    # and the idle-timeout session save (savepoint, update, release): none of them per feed.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("providers:feed_list"))
    assert len(response.context["rows"]) == 10


def test_an_admin_sees_every_partnerships_feeds_but_cannot_register_one(
    cast, client_for, feed, other_feed
):
    response = client_for(cast["admin"]).get(reverse("providers:feed_list"))
    html = response.content.decode()
    assert "Riverside sessions" in html and "Hillside sessions" in html
    assert reverse("providers:feed_add") not in html


def test_the_detail_page_shows_recent_runs_and_rejected_items(cast, client_for, feed):
    response = client_for(cast["partnership"]).get(detail_url(feed))

    html = response.content.decode()
    assert [row.status.label for row in response.context["runs"]] == ["Failed", "Worked"]
    assert "Place has no name" in html and ">77<" in html
    assert "The feed did not answer within 20 seconds" in html
    assert f'action="{harvest_url(feed)}"' in html
    assert_no_inline_script_or_style(html)


def test_a_run_still_going_shows_as_running(cast, client_for, feed):
    FeedRun.objects.create(feed=feed, status="failed", error="The harvest stopped before it f…")

    response = client_for(cast["partnership"]).get(detail_url(feed))

    assert response.context["latest"].status.label == "Running"
    assert response.context["latest"].problem == ""


# --- harvest now --------------------------------------------------------------------------------


def test_harvest_now_starts_a_job_after_commit_and_shows_its_page(
    cast, client_for, feed, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(job_services, "_send", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["partnership"]).post(harvest_url(feed), follow=True)

    job = Job.objects.get()
    assert (job.kind, job.payload, job.created_by) == (
        "providers.openactive_harvest",
        {"feed_id": feed.pk},
        cast["partnership"],
    )
    assert response.redirect_chain == [(reverse("jobs:detail", args=[job.pk]), 302)]
    html = response.content.decode()
    assert "Harvest an OpenActive feed" in html and 'http-equiv="refresh"' in html
    assert sent == [job.pk]


# --- registering a feed -------------------------------------------------------------------------


def test_registering_a_feed_saves_it_starts_a_harvest_and_shows_it(
    cast, client_for, partnership, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(job_services, "_send", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["partnership"]).post(
            reverse("providers:feed_add"),
            {"name": "Riverside sessions", "url": " https://feeds.example.org/session-series "},
        )

    feed = OpenActiveFeed.objects.get()
    assert (feed.partnership, feed.name, feed.url) == (
        partnership,
        "Riverside sessions",
        "https://feeds.example.org/session-series",
    )
    job = Job.objects.get()
    assert job.payload == {"feed_id": feed.pk}
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert sent == [job.pk]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"name": "", "url": ""},
            ["Enter a name for the feed", "Enter the feed's web address, starting https://"],
        ),
        (
            {"name": "Feed", "url": "http://feeds.example.org/x"},
            ["Enter the feed's web address, starting https://"],
        ),
        (
            {"name": "Feed", "url": "https://not a web address"},
            [
                "Enter the feed's web address in the right format, like "
                "https://example.org/feeds/session-series"
            ],
        ),
        (
            {"name": "x" * 201, "url": "https://feeds.example.org/x"},
            ["Name must be 200 characters or fewer"],
        ),
        (
            {"name": "Again", "url": "https://feeds.example.org/session-series"},
            ["Your partnership has already registered this feed"],
        ),
    ],
)
def test_bad_input_is_shown_with_an_error_summary_and_saves_nothing(
    cast, client_for, feed, data, errors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(cast["partnership"]).post(reverse("providers:feed_add"), data)

    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "<title>Error: " in html
    assert "nhsuk-error-summary" in html
    for error in errors:
        assert error in html
    assert list(OpenActiveFeed.objects.values_list("name", flat=True)) == ["Riverside sessions"]
    assert callbacks == []
    assert_no_inline_script_or_style(html)


def test_the_same_address_may_be_registered_by_another_partnership(
    cast, client_for, other_feed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client_for(cast["partnership"]).post(
            reverse("providers:feed_add"), {"name": "Shared", "url": other_feed.url}
        )
    assert response.status_code == 302
    assert OpenActiveFeed.objects.filter(url=other_feed.url).count() == 2
