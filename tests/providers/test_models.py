from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from providers.models import Activity, ActivityType, Outcode
from tests.providers.factories import ActivityFactory, VenueFactory


def test_reference_data_is_loaded(db):
    assert Outcode.objects.count() > 2800
    walking = ActivityType.objects.get(label="Walking")
    assert walking.narrower.filter(label="Nordic Walking").exists()


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"is_free": False, "price_full": Decimal("-1")}, "activity_price_not_negative"),
        ({"is_free": True, "price_full": Decimal("5")}, "activity_free_has_no_price"),
        ({"takes_referrals": True}, "activity_referrals_have_a_route"),
        ({"capacity": 0}, "activity_capacity_positive"),
    ],
)
def test_database_keeps_activity_invariants(db, changes, constraint):
    activity = ActivityFactory()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(**changes)


def test_in_person_activity_needs_a_venue(db):
    activity = ActivityFactory()
    with pytest.raises(IntegrityError, match="activity_in_person_has_venue"), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(venue=None)
    Activity.objects.filter(pk=activity.pk).update(venue=None, delivery_mode="online")


def test_weekly_slot_must_end_after_it_starts(db):
    from datetime import time

    from providers.models import WeeklySlot

    activity = ActivityFactory()
    with pytest.raises(IntegrityError, match="slot_end_after_start"), transaction.atomic():
        WeeklySlot.objects.create(
            activity=activity, weekday=1, start_time=time(11), end_time=time(10)
        )


def test_venue_coordinates_must_be_on_earth(db):
    venue = VenueFactory()
    from providers.models import Venue

    with pytest.raises(IntegrityError, match="venue_coordinates_valid"), transaction.atomic():
        Venue.objects.filter(pk=venue.pk).update(latitude=123)
