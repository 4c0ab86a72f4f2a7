"""The OpenActive feed's items written ahead by a worker (providers/open_data/keep_ahead.py):
what it keeps is what a page would have written, so a harvester's page is only its keys."""

from datetime import timedelta

import pytest
from django.utils import timezone

from providers.models import KeptFeedItem, OneOffSession
from providers.open_data import keep_ahead
from providers.open_data.tasks import keep_feed_items_ahead
from tests.providers.open_data_fixtures.openactive import HOST, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    # Production's SITE_URL is the address harvesters use; here the tests' public HOST.
    settings.SITE_URL = f"http://{HOST}"


def test_a_page_after_the_worker_is_what_the_request_would_have_written(
    get, django_assert_num_queries
):
    for n in range(4):
        scheduled(name=f"Walk {n}")

    assert keep_ahead.feed_items_keep_ahead() == 4
    with django_assert_num_queries(1):  # the keys, each with its kept JSON
        ahead = get().content

    KeptFeedItem.objects.all().delete()
    assert get().content == ahead


def test_it_writes_in_batches_and_then_finds_nothing_to_do(monkeypatch):
    monkeypatch.setattr(keep_ahead, "BATCH", 2)
    activities = [scheduled() for _ in range(5)]

    assert keep_ahead.feed_items_keep_ahead() == 5
    assert set(KeptFeedItem.objects.values_list("activity", flat=True)) == {
        a.pk for a in activities
    }
    assert keep_ahead.feed_items_keep_ahead() == 0


def test_a_changed_item_is_written_again(get):
    activity = scheduled(name="Walk")
    keep_ahead.feed_items_keep_ahead()

    activity.name, activity.updated_at = "Nordic walk", timezone.now()
    activity.save()
    assert keep_ahead.feed_items_keep_ahead() == 1

    [item] = get().json()["items"]
    assert item["data"]["name"] == "Nordic walk"
    assert KeptFeedItem.objects.get().modified == item["modified"]


def test_items_with_sessions_to_come_are_left_to_the_page():
    scheduled()
    with_session = scheduled()
    soon = timezone.now() + timedelta(days=2)
    OneOffSession.objects.create(
        activity=with_session, starts_at=soon, ends_at=soon + timedelta(hours=1)
    )

    assert keep_ahead.feed_items_keep_ahead() == 1
    assert not KeptFeedItem.objects.filter(activity=with_session).exists()
    assert keep_ahead.feed_items_keep_ahead() == 0  # not picked up again and again


def test_items_kept_for_another_address_are_written_for_the_sites_own(settings):
    activity = scheduled()
    settings.SITE_URL = "https://other.example.org"
    keep_ahead.feed_items_keep_ahead()
    settings.SITE_URL = f"http://{HOST}"

    assert keep_ahead.feed_items_keep_ahead() == 1
    kept = KeptFeedItem.objects.get(activity=activity)
    assert kept.written_with.endswith(f" http://{HOST}")
    assert f'"http://{HOST}/' in kept.json


def test_it_stops_when_its_time_is_up():
    scheduled()
    assert keep_ahead.feed_items_keep_ahead(seconds=0) == 0
    assert not KeptFeedItem.objects.exists()


def test_the_beat_task_keeps_the_items(caplog):
    scheduled()
    keep_feed_items_ahead()

    assert KeptFeedItem.objects.count() == 1
    assert "1 items written ahead" in caplog.text
