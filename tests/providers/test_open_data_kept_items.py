"""The OpenActive feed's kept items (providers/open_data/kept_items.py): a page sends what
it kept while nothing in an item has changed, and writes afresh whatever has."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from providers.models import KeptFeedItem, OneOffSession
from providers.open_data import feed_rows, kept_items
from providers.services import listing_archive
from tests.providers.open_data_fixtures import full_activity
from tests.providers.open_data_fixtures.openactive import FEED, HOST, scheduled

pytestmark = pytest.mark.django_db


def test_a_page_read_again_is_the_same_and_reads_only_its_keys(get, django_assert_num_queries):
    for n in range(5):
        scheduled(name=f"Walk {n}")
    first = get().content
    assert KeptFeedItem.objects.count() == 5

    with django_assert_num_queries(1):  # the keys, with each item's kept JSON
        again = get().content

    assert again == first


def test_a_changed_activity_venue_or_provider_is_written_afresh(get):
    activity = scheduled(name="Walk")
    get()

    # As every edit does: a saved listing's updated_at is its feed's `modified`.
    activity.name, activity.updated_at = "Nordic walk", timezone.now()
    activity.save()
    [item] = get().json()["items"]
    assert item["data"]["name"] == "Nordic walk"

    activity.venue.name, activity.venue.updated_at = "The new pavilion", timezone.now()
    activity.venue.save()
    [item] = get().json()["items"]
    assert item["data"]["location"]["name"] == "The new pavilion"

    listing_archive(listing=activity.provider, system_actor="test")
    [item] = get().json()["items"]
    assert item["state"] == "deleted"
    kept = KeptFeedItem.objects.get(activity=activity)
    assert kept.modified == item["modified"]


def test_one_off_sessions_to_come_are_written_every_time(get):
    weekly = scheduled()
    full_activity()  # weekly times and a session to come
    soon = timezone.now() + timedelta(hours=1)
    sessions_only = scheduled()
    sessions_only.weekly_slots.all().delete()
    OneOffSession.objects.create(
        activity=sessions_only, starts_at=soon, ends_at=soon + timedelta(hours=1)
    )

    items = {item["id"]: item for item in get().json()["items"]}

    assert len(items) == 3 and items[str(sessions_only.public_id)]["state"] == "updated"
    assert "subEvent" in items[str(sessions_only.public_id)]["data"]
    assert set(KeptFeedItem.objects.values_list("activity", flat=True)) == {weekly.pk}


def test_another_address_or_writer_is_not_sent_what_was_kept(get, client, settings, monkeypatch):
    activity = scheduled()
    get()
    settings.ALLOWED_HOSTS = [HOST, "other.example.org"]

    [item] = client.get(FEED, HTTP_HOST="other.example.org").json()["items"]
    assert item["data"]["@id"].startswith("http://other.example.org/")

    monkeypatch.setattr(kept_items, "writer_digest", lambda: "a-later-release")
    [item] = get().json()["items"]
    assert item["data"]["@id"].startswith(f"http://{HOST}/")
    written_with = KeptFeedItem.objects.get(activity=activity).written_with
    assert written_with == f"a-later-release http://{HOST}"


def test_the_writer_digest_covers_the_writer_and_its_vocabularies():
    digest = kept_items.writer_digest()
    assert len(digest) == 16
    # Each named file exists, so a rename cannot silently drop it from the digest.
    for pattern in kept_items.WRITTEN_FROM:
        assert list(Path(django_settings.BASE_DIR).glob(pattern)), pattern


def test_keeping_that_fails_leaves_the_page_and_the_transaction_usable(caplog):
    activity = scheduled()
    [row] = feed_rows.feed_page(after=None, limit=1)

    # A real refusal by the database: longer than the column takes.
    kept_items.keep([(row, "{}")], written_with="x" * 301)

    assert "were not kept" in caplog.text
    assert not KeptFeedItem.objects.exists()  # and the connection still answers
    kept_items.keep([(row, "{}")], written_with="fine")
    assert KeptFeedItem.objects.get().activity_id == activity.pk


def test_kept_text_is_stored_exactly_and_the_separator_never_splits_an_item():
    first, second = scheduled(), scheduled()
    rows = {row.pk: row for row in feed_rows.feed_page(after=None, limit=2)}
    tricky = '{"name": "O\'Neill\u2019s \\"walk\\" \\\\ ü 😀\\n\\u001e", "tab": "\\t"}'

    kept_items.keep(
        [(rows[first.pk], tricky), (rows[second.pk], "{" + kept_items.SEPARATOR + "}")],
        written_with="w",
    )

    assert KeptFeedItem.objects.get().json == tricky  # the second was not kept
    assert KeptFeedItem.objects.get().activity_id == first.pk
