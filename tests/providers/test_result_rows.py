"""What each search result needs beside its row (providers/result_rows.py), read in four
statements compiled once: each call reads its own page's ids and its own moment."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from providers.models import ActivityAccessibility, OneOffSession, VenueAccessibility
from providers.result_rows import Slot, rows_for
from tests.providers.factories import ActivityFactory, WeeklySlotFactory

pytestmark = pytest.mark.django_db


def test_each_call_reads_its_own_activities_and_moment():
    walk, swim = ActivityFactory(), ActivityFactory()
    VenueAccessibility.objects.create(venue=walk.venue, feature="step_free")
    ActivityAccessibility.objects.create(activity=swim, feature="bsl")
    WeeklySlotFactory(activity=swim, weekday=2, start_time=time(10, 0))
    now = timezone.now()
    OneOffSession.objects.create(
        activity=walk, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1)
    )

    first = rows_for([walk], now=now)
    second = rows_for([swim], now=now)
    later = rows_for([walk], now=now + timedelta(days=2))

    assert list(first) == [walk.pk] and first[walk.pk].listed == {"step_free"}
    assert first[walk.pk].session_starts == [now + timedelta(days=1)]
    assert list(second) == [swim.pk] and second[swim.pk].listed == {"bsl"}
    assert second[swim.pk].slots == [Slot(2, time(10, 0))]
    assert later[walk.pk].session_starts == []  # the session has passed by then
