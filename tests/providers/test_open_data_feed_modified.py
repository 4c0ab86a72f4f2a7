"""Each activity's OpenActive `modified` moment, kept by PostgreSQL triggers (providers
migration 0007): always the latest of the activity's, its venue's and its provider's
updated_at, however the row was written, because the RPDE feed pages in that order."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce, Greatest

from providers.models import Activity, Provider, Venue
from providers.open_data.feed_rows import EpochMicroseconds
from providers.open_data.openactive import modified_number
from tests.providers.factories import ActivityFactory, VenueFactory
from tests.providers.open_data_fixtures.openactive import T0

pytestmark = pytest.mark.django_db


def _kept_equals_worked_out() -> list[tuple]:
    """(kept, worked out) for every activity whose two disagree."""
    rows = Activity.objects.annotate(
        worked_out=Greatest(
            "updated_at", Coalesce("venue__updated_at", "updated_at"), "provider__updated_at"
        )
    ).values_list("feed_modified_at", "worked_out")
    return [row for row in rows if row[0] != row[1]]


def _kept(activity) -> object:
    return Activity.objects.values_list("feed_modified_at", flat=True).get(pk=activity.pk)


def test_a_new_activity_takes_the_latest_of_its_own_venue_and_provider():
    activity = ActivityFactory()
    Provider.objects.filter(pk=activity.provider_id).update(updated_at=T0 + timedelta(hours=1))
    Venue.objects.filter(pk=activity.venue_id).update(updated_at=T0 + timedelta(hours=2))
    Activity.objects.filter(pk=activity.pk).update(updated_at=T0)

    assert _kept(activity) == T0 + timedelta(hours=2)
    assert _kept_equals_worked_out() == []


def test_saving_a_venue_moves_every_activity_there():
    venue = VenueFactory()
    here = [ActivityFactory(venue=venue, provider=venue.provider) for _ in range(2)]
    elsewhere = ActivityFactory()
    Activity.objects.update(updated_at=T0)
    Venue.objects.update(updated_at=T0)
    Provider.objects.update(updated_at=T0)

    venue.name = "The new hall"
    venue.updated_at = T0 + timedelta(days=1)
    venue.save()

    assert [_kept(a) for a in here] == [T0 + timedelta(days=1)] * 2
    assert _kept(elsewhere) == T0
    assert _kept_equals_worked_out() == []


def test_a_provider_archived_in_bulk_moves_its_activities():
    activity = ActivityFactory()
    Activity.objects.update(updated_at=T0)
    Venue.objects.update(updated_at=T0)

    Provider.objects.filter(pk=activity.provider_id).update(
        archived_at=T0 + timedelta(hours=3), updated_at=T0 + timedelta(hours=3)
    )

    assert _kept(activity) == T0 + timedelta(hours=3)
    assert _kept_equals_worked_out() == []


def test_an_activity_moved_online_forgets_its_old_venue():
    activity = ActivityFactory()
    Venue.objects.filter(pk=activity.venue_id).update(updated_at=T0 + timedelta(days=5))
    Provider.objects.filter(pk=activity.provider_id).update(updated_at=T0)

    Activity.objects.filter(pk=activity.pk).update(
        venue=None, delivery_mode=Activity.DeliveryMode.ONLINE, updated_at=T0 + timedelta(days=1)
    )

    assert _kept(activity) == T0 + timedelta(days=1)
    assert _kept_equals_worked_out() == []


def test_python_cannot_write_the_moment_itself():
    activity = ActivityFactory()
    Activity.objects.filter(pk=activity.pk).update(feed_modified_at=T0 - timedelta(days=400))

    assert _kept_equals_worked_out() == []


def _row_version(activity) -> str:
    """The transaction that last wrote the row: it changes whenever the row is rewritten."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM providers_activity WHERE id = %s", [activity.pk])
        return cursor.fetchone()[0]


def test_a_save_that_leaves_updated_at_alone_rewrites_no_activity():
    activity = ActivityFactory()
    Venue.objects.update(updated_at=T0)
    Provider.objects.update(updated_at=T0)
    before = _row_version(activity)

    with transaction.atomic():
        Venue.objects.filter(pk=activity.venue_id).update(name="Same time, new name")
        Provider.objects.filter(pk=activity.provider_id).update(name="Same time, new name")

    assert _row_version(activity) == before


def test_a_venue_save_that_moves_updated_at_rewrites_its_activities():
    activity = ActivityFactory()
    before = _row_version(activity)

    with transaction.atomic():
        Venue.objects.filter(pk=activity.venue_id).update(updated_at=T0 + timedelta(days=9))

    assert _row_version(activity) != before


def test_postgresql_works_out_modified_numbers_as_python_does():
    ActivityFactory()
    moments = [
        T0,
        T0 + timedelta(microseconds=1),
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ]

    for moment in moments:
        number = EpochMicroseconds(Value(moment, output_field=DateTimeField()))
        found = Activity.objects.annotate(number=number).values_list("number", flat=True)[0]
        assert found == modified_number(moment), moment
