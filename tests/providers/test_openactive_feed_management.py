"""Feeds as managed sources: pause, resume and remove from the feed page (who may, and what
each does), listings that stay current by themselves, and a local layer harvests keep."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Activity, ListingChange, OpenActiveFeed, Venue
from providers.openactive import tasks
from providers.openactive.services import feed_register, feed_remove
from talkingmoves.notify.models import StoredMessage
from tests.providers.openactive_fixtures.feeds import session_series
from tests.providers.openactive_fixtures.harvesting import harvest, start_at

ROLES = ["clinician", "lead", "partnership", "provider", "admin"]


def url(name, feed) -> str:
    return reverse(f"providers:{name}", kwargs={"public_id": feed.public_id})


# --- who may pause, resume and remove --------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["feed_pause", "feed_resume", "feed_remove"])
def test_only_partnership_staff_pause_resume_and_remove_feeds(cast, client_for, feed, role, action):
    response = client_for(cast[role]).post(url(action, feed))
    assert response.status_code == (302 if role == "partnership" else 403)
    feed.refresh_from_db()
    assert (feed.removed_at is not None) == (action == "feed_remove" and role == "partnership")


@pytest.mark.parametrize("action", ["feed_pause", "feed_resume", "feed_remove"])
def test_anonymous_users_are_sent_to_sign_in(client, feed, action):
    response = client.post(url(action, feed))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("action", ["feed_pause", "feed_resume"])
def test_pausing_needs_a_post(cast, client_for, feed, action):
    assert client_for(cast["partnership"]).get(url(action, feed)).status_code == 405


@pytest.mark.parametrize("action", ["feed_pause", "feed_resume", "feed_remove", "feed_detail"])
def test_a_removed_or_another_partnerships_feed_is_not_found(
    cast, client_for, feed, partnership_staff, action
):
    from tests.factories import ActivePartnershipFactory

    other = OpenActiveFeed.objects.create(
        partnership=ActivePartnershipFactory(name="Active Hillside"), name="H", url="https://h.x/"
    )
    feed_remove(feed=feed, by=partnership_staff)
    client = client_for(cast["partnership"])
    assert client.post(url(action, feed)).status_code in (404, 405)
    assert client.get(url(action, feed)).status_code in (404, 405)
    assert client.post(url(action, other)).status_code in (404, 405)


# --- what they do ------------------------------------------------------------------------------


def test_a_paused_feed_is_not_harvested_on_schedule_and_resumes_where_it_stopped(
    cast, client_for, imported, django_capture_on_commit_callbacks
):
    client = client_for(cast["partnership"])
    page = client.post(url("feed_pause", imported), follow=True).content.decode()
    assert "is paused" in page and url("feed_resume", imported) in page
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.harvest_all_feeds()
    assert callbacks == []

    client.post(url("feed_resume", imported))

    imported.refresh_from_db()
    assert imported.is_active and imported.next_url  # the resume point is kept
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.harvest_all_feeds()
    assert [c.args for c in callbacks] == [(imported.pk,)]


def test_removing_a_feed_withdraws_its_listings_without_deleting_them(
    cast, client_for, imported, server
):
    client = client_for(cast["partnership"])
    confirm = client.get(url("feed_remove", imported)).content.decode()
    assert "its 3 listings will be withdrawn from search" in confirm

    response = client.post(url("feed_remove", imported), follow=True)

    assert "its 3 listings are withdrawn from search" in response.content.decode()
    assert Activity.objects.filter(feed=imported).count() == 3  # kept
    assert not Activity.objects.filter(feed=imported).live().exists()
    assert "Riverside sessions" not in client.get(reverse("providers:feed_list")).content.decode()
    with pytest.raises(Exception, match="matching query"):
        OpenActiveFeed.objects.get(removed_at__isnull=True)
    assert ListingChange.objects.filter(action=ListingChange.Action.REMOVED_BY_FEED).count() == 3


def test_registering_a_removed_feed_again_brings_back_what_it_still_lists(
    imported, partnership, partnership_staff, server
):
    feed_remove(feed=imported, by=partnership_staff)

    again = feed_register(partnership=partnership, name="Back again", url=imported.url)

    assert again.pk == imported.pk and again.is_active and again.next_url == ""
    harvest(again)
    assert Activity.objects.filter(feed=again).live().count() == 3


def test_the_feed_page_shows_the_last_harvest_and_each_rejected_item(
    cast, client_for, feed, server
):
    start_at(
        feed, server.chain("feed", [[session_series(1, 100), session_series(2, 101, name="")]])
    )
    harvest(feed)

    html = client_for(cast["partnership"]).get(url("feed_detail", feed)).content.decode()

    assert "1 added, 0 updated, 0 withdrawn, 1 rejected" in html
    assert "SessionSeries has no name" in html


# --- staying current --------------------------------------------------------------------------


def test_last_checked_is_when_the_publisher_last_published_the_item(feed, server):
    published = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    start_at(feed, server.chain("feed", [[session_series(1, int(published.timestamp()))]]))

    harvest(feed)

    activity = Activity.objects.get(feed=feed)
    assert activity.last_verified_at == published
    assert not activity.needs_checking()  # however long ago: the feed keeps it current
    assert not Activity.objects.needs_checking().exists()


def test_a_feed_that_stops_answering_goes_stale_and_the_partnership_is_told_once(
    imported, server, partnership_staff, settings, django_capture_on_commit_callbacks
):
    settings.OPENACTIVE_FEED_STALE_AFTER = datetime.timedelta(days=3)
    OpenActiveFeed.objects.filter(pk=imported.pk).update(
        last_success_at=timezone.now() - datetime.timedelta(days=4)
    )
    imported.refresh_from_db()
    server.raw("feed-3", b"", status=503)

    with django_capture_on_commit_callbacks(execute=True):
        harvest(imported)
        harvest(imported)

    imported.refresh_from_db()
    assert imported.stale_since is not None
    assert Activity.objects.filter(feed=imported).needs_checking().count() == 3
    message = StoredMessage.objects.get(recipient=partnership_staff.email)
    assert message.template == "openactive_feed_stopped"
    assert message.personalisation["feed"] == "Riverside sessions"

    server.page("feed-3", [])
    harvest(imported)

    imported.refresh_from_db()
    assert imported.stale_since is None
    assert not Activity.objects.filter(feed=imported).needs_checking().exists()


def test_a_feed_failing_briefly_is_not_stale(imported, server):
    server.raw("feed-3", b"", status=503)
    harvest(imported)
    imported.refresh_from_db()
    assert imported.stale_since is None
    assert not StoredMessage.objects.exists()


# --- the local layer ------------------------------------------------------------------------


def test_an_access_note_survives_the_next_harvest_and_feed_fields_are_read_only(
    cast, client_for, imported, server
):
    venue = Venue.objects.get(feed=imported)
    client = client_for(cast["partnership"])
    form = client.get(reverse("providers:venue_edit", args=[venue.public_id])).content.decode()
    assert "From feed Riverside sessions" in form
    response = client.post(
        reverse("providers:venue_edit", args=[venue.public_id]),
        {
            "name": "Renamed by hand",
            "address_line_1": "",
            "town": "",
            "postcode": "",
            "access_notes": "Use the side entrance; ramp by the car park",
        },
    )
    assert response.status_code == 302, response.content.decode()
    venue.refresh_from_db()
    assert venue.name == "Middlesbrough Sports Village"  # the feed's, not the edit's
    assert venue.access_notes == "Use the side entrance; ramp by the car park"

    changed = session_series(1, 900, description="A new description from the publisher")
    server.page("feed-3", [changed], next_path="feed-4")
    server.page("feed-4", [])
    run = harvest(imported)

    assert run.updated == 1
    venue.refresh_from_db()
    assert venue.access_notes == "Use the side entrance; ramp by the car park"
    activity = Activity.objects.get(feed=imported, external_id="1")
    assert activity.description == "A new description from the publisher"


def test_a_referral_contact_added_by_hand_survives_the_next_harvest(
    cast, client_for, imported, server
):
    activity = Activity.objects.get(feed=imported, external_id="1")
    Activity.objects.filter(pk=activity.pk).update(referral_phone="0113 496 0000")
    server.page("feed-3", [session_series(1, 900, name="Renamed by publisher")], next_path="f4")
    server.page("f4", [])

    harvest(imported)

    activity.refresh_from_db()
    assert (activity.name, activity.referral_phone) == ("Renamed by publisher", "0113 496 0000")
