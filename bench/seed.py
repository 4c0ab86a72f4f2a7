"""Seeds the benchmark database: 43 partnerships, 4,000 venues, 20,000 activities (at
BENCH_SIZE=large, 22,000 venues and 110,000 activities: bench/size.py). Rows go in by COPY
(bench/copy_rows.py)."""

import random
from datetime import time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from bench import size
from bench.copy_rows import copy_objects
from providers.models import (
    Activity,
    ActivitySuitability,
    ActivityType,
    Outcode,
    Provider,
    Venue,
    VenueAccessibility,
    WeeklySlot,
)
from providers.reference_data import load_all
from talkingmoves.accounts.models import Organisation, Role, User
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import Intensity, Interest, SuitableFor

PARTNERSHIPS = 43
VENUES = size.VENUES
ACTIVITIES = size.ACTIVITIES
BIG_PARTNERSHIP_LISTINGS = 500
MARKER = "Bench partnership 01"


def describe() -> str:
    return (
        f"Data: {Organisation.objects.filter(kind='active_partnership').count()} partnerships, "
        f"{Provider.objects.count()} providers, {Venue.objects.count()} venues, "
        f"{Activity.objects.count()} activities, {WeeklySlot.objects.count()} weekly slots"
    )


def ensure_seeded() -> None:
    if not Organisation.objects.filter(name=MARKER).exists():
        load_all()
        random.seed(20261123)
        with transaction.atomic():
            _seed()
    # Fresh statistics, as autovacuum would give a live database after a bulk load; without
    # them PostgreSQL plans for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seed() -> None:
    now = timezone.now()
    partnerships = Organisation.objects.bulk_create(
        Organisation(name=f"Bench partnership {n:02d}", kind="active_partnership")
        for n in range(1, PARTNERSHIPS + 1)
    )
    service = Organisation.objects.create(name="Bench Talking Therapies", kind="talking_therapies")
    User.objects.create_user(
        "bench.clinician@example.nhs.uk",
        "x" * 20,
        full_name="Bench Clinician",
        role=Role.CLINICIAN,
        organisation=service,
    )
    User.objects.create_user(
        "bench.officer@example.org.uk",
        "x" * 20,
        full_name="Bench Officer",
        role=Role.PARTNERSHIP_STAFF,
        organisation=partnerships[0],
    )

    # England's postcode districts, spread across the partnerships.
    outcodes = list(Outcode.objects.filter(region__gt="").order_by("outcode"))
    outcodes = [
        o
        for o in outcodes
        if not o.outcode.startswith(
            ("AB", "DD", "EH", "G", "KY", "IV", "PA", "PH", "BT", "CF", "SA", "LL")
        )
    ]
    providers = Provider.objects.bulk_create(
        Provider(
            name=f"Bench provider {n}",
            partnership=partnerships[n % PARTNERSHIPS],
            email="p@example.org.uk",
            last_verified_at=now,
        )
        for n in range(VENUES // 2)
    )
    venues = []
    for n in range(VENUES):
        outcode = outcodes[n % len(outcodes)]
        venues.append(
            Venue(
                provider=providers[n // 2],
                name=f"Bench venue {n}",
                postcode=f"{outcode.outcode} 1AA",
                latitude=outcode.latitude + random.uniform(-0.02, 0.02),
                longitude=outcode.longitude + random.uniform(-0.03, 0.03),
                last_verified_at=now,
            )
        )
    copy_objects(Venue, venues)
    venues = list(Venue.objects.select_related("provider").order_by("pk"))
    copy_objects(
        VenueAccessibility,
        (
            VenueAccessibility(venue=v, feature=Accessibility.STEP_FREE)
            for v in venues
            if random.random() < 0.5
        ),
    )
    types = list(ActivityType.objects.filter(label__in=[*Interest, "Nordic Walking"]))
    # The first partnership gets exactly BIG_PARTNERSHIP_LISTINGS activities (its list page).
    big_venues = [v for v in venues if v.provider.partnership_id == partnerships[0].pk]
    other_venues = [v for v in venues if v.provider.partnership_id != partnerships[0].pk]
    activities = []
    for n in range(ACTIVITIES):
        venue = (
            big_venues[n % len(big_venues)]
            if n < BIG_PARTNERSHIP_LISTINGS
            else random.choice(other_venues)
        )
        free = random.random() < 0.4
        activities.append(
            Activity(
                provider=venue.provider,
                venue=venue,
                name=f"Bench activity {n}",
                activity_type=random.choice(types),
                is_free=free,
                price_full=None if free else random.choice([2, 3, 4.5, 6, 8]),
                intensity=random.choice(Intensity.values),
                last_verified_at=now - timedelta(days=random.randint(0, 400)),
            )
        )
    copy_objects(Activity, activities)
    activities = list(Activity.objects.order_by("pk").only("pk"))
    copy_objects(
        ActivitySuitability,
        (
            ActivitySuitability(activity=a, tag=SuitableFor.BEGINNERS)
            for a in activities
            if random.random() < 0.5
        ),
    )
    hours = [random.randint(7, 19) for _ in activities]
    copy_objects(
        WeeklySlot,
        (
            WeeklySlot(
                activity=a, weekday=random.randint(0, 6), start_time=time(h), end_time=time(h + 1)
            )
            for a, h in zip(activities, hours, strict=True)
        ),
    )
