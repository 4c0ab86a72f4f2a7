"""Demo listings for `seed_demo`: Leeds for the Riverside partnership, Sheffield for Hillside.
Idempotent: looked up by name, created once."""

from datetime import time
from decimal import Decimal

from django.utils import timezone

from providers import services
from providers.models import Activity, ActivityType, Provider, Venue
from providers.reference_data import load_all
from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import Format, Intensity, Interest, SuitableFor
from talkingmoves.vocabulary.times import Weekday

A = Accessibility
S = SuitableFor
MON, TUE, WED, THU, FRI, SAT, SUN = Weekday

SYSTEM = "demo data"

# provider, org to link (or None), venues [(name, address, postcode, lat, lon, access)]
LEEDS = [
    (
        "Riverside Leisure Centre",
        "Riverside Leisure Centre",
        [
            (
                "Riverside Leisure Centre",
                "1 River Road",
                "LS1 4AP",
                53.7960,
                -1.5470,
                [A.STEP_FREE, A.ACCESSIBLE_TOILET, A.HEARING_LOOP, A.CHANGING_PLACES],
            )
        ],
        [
            (
                "Gentle swim for beginners",
                Interest.SWIMMING,
                "Riverside Leisure Centre",
                Intensity.GENTLE,
                {
                    "is_free": False,
                    "price_full": Decimal("4.50"),
                    "price_concession": Decimal("2.50"),
                },
                [(MON, time(10), time(11)), (THU, time(10), time(11))],
                [S.BEGINNERS, S.QUIET_SESSION, S.LONG_TERM_CONDITIONS],
                True,
            ),
            (
                "Chair-based exercise",
                Interest.CHAIR_BASED_EXERCISE,
                "Riverside Leisure Centre",
                Intensity.GENTLE,
                {"is_free": True},
                [(WED, time(14), time(15))],
                [S.BEGINNERS, S.OVER_50S, S.DISABLED_PEOPLE],
                True,
            ),
            (
                "Women-only yoga",
                Interest.YOGA,
                "Riverside Leisure Centre",
                Intensity.GENTLE,
                {"is_free": False, "price_full": Decimal("6.00")},
                [(TUE, time(19), time(20))],
                [S.WOMEN_ONLY, S.BEGINNERS, S.MENTAL_HEALTH_AWARE],
                True,
            ),
        ],
    ),
    (
        "Parkside Walking for Health",
        "Parkside Walking for Health",
        [
            ("Hyde Park Corner shelter", "Hyde Park", "LS6 1AB", 53.8110, -1.5650, [A.STEP_FREE]),
            ("Roundhay Park mansion", "Mansion Lane", "LS8 2HH", 53.8380, -1.4980, []),
        ],
        [
            (
                "Beginners' health walk",
                Interest.WALKING,
                "Hyde Park Corner shelter",
                Intensity.GENTLE,
                {"is_free": True},
                [(TUE, time(10), time(11)), (FRI, time(10), time(11))],
                [S.BEGINNERS, S.ACCOMPANIED_FIRST_VISIT, S.MENTAL_HEALTH_AWARE],
                True,
            ),
            (
                "Nordic walking",
                "Nordic Walking",
                "Roundhay Park mansion",
                Intensity.MODERATE,
                {"is_free": False, "price_full": Decimal("3.00")},
                [(SAT, time(9, 30), time(11))],
                [S.OVER_50S],
                False,
            ),
        ],
    ),
    (
        "Calm Waters Swim Club",
        None,
        [
            (
                "Armley pool",
                "Carr Crofts",
                "LS12 3HB",
                53.7990,
                -1.5920,
                [A.STEP_FREE, A.ACCESSIBLE_TOILET],
            )
        ],
        [
            (
                "Adult improvers swim",
                Interest.SWIMMING,
                "Armley pool",
                Intensity.MODERATE,
                {"is_free": False, "price_full": Decimal("5.00")},
                [(WED, time(18), time(19))],
                [],
                False,
            ),
        ],
    ),
]


def _type(label):
    return ActivityType.objects.get(label=label)


def seed_directory() -> None:
    load_all()
    riverside_ap = Organisation.objects.get(name="Active Riverside Partnership")
    for provider_name, org_name, venues, activities in LEEDS:
        provider = Provider.objects.filter(name=provider_name, partnership=riverside_ap).first()
        if provider is not None:
            continue
        organisation = Organisation.objects.filter(name=org_name).first() if org_name else None
        provider = services.provider_save(
            provider=Provider(
                name=provider_name,
                partnership=riverside_ap,
                organisation=organisation,
                email="hello@example.org.uk",
                website="https://www.example.org.uk/",
                last_verified_at=timezone.now(),
            ),
            system_actor=SYSTEM,
        )
        by_name = {}
        for name, address, postcode, lat, lon, access in venues:
            by_name[name] = services.venue_save(
                venue=Venue(
                    provider=provider,
                    name=name,
                    address_line_1=address,
                    town="Leeds",
                    postcode=postcode,
                    latitude=lat,
                    longitude=lon,
                    last_verified_at=timezone.now(),
                ),
                accessibility=access,
                system_actor=SYSTEM,
            )
        for name, label, venue, intensity, cost, slots, tags, referrals in activities:
            services.activity_save(
                activity=Activity(
                    provider=provider,
                    venue=by_name[venue],
                    name=name,
                    activity_type=_type(label),
                    description=f"{name} in a friendly, welcoming group.",
                    intensity=intensity,
                    takes_referrals=referrals,
                    referral_email="referrals@example.org.uk" if referrals else "",
                    last_verified_at=timezone.now(),
                    **cost,
                ),
                suitability=tags,
                weekly_slots=slots,
                system_actor=SYSTEM,
            )
    _seed_stale_listing(riverside_ap)
    _seed_in_house_offer()


def _seed_stale_listing(partnership) -> None:
    """One listing nobody has checked for 8 months, so the demo shows staleness."""
    if Provider.objects.filter(name="Kirkstall Community Cycling").exists():
        return
    old = timezone.now() - timezone.timedelta(days=240)
    provider = services.provider_save(
        provider=Provider(name="Kirkstall Community Cycling", partnership=partnership),
        system_actor=SYSTEM,
    )
    venue = services.venue_save(
        venue=Venue(provider=provider, name="Kirkstall Abbey car park", postcode="LS5 3EH"),
        system_actor=SYSTEM,
    )
    activity = services.activity_save(
        activity=Activity(
            provider=provider,
            venue=venue,
            name="Led bike rides",
            activity_type=_type(Interest.CYCLING),
            is_free=True,
        ),
        weekly_slots=[(SUN, time(10), time(12))],
        system_actor=SYSTEM,
    )
    for model, pk in ((Provider, provider.pk), (Venue, venue.pk), (Activity, activity.pk)):
        model.objects.filter(pk=pk).update(last_verified_at=old)


def _seed_in_house_offer() -> None:
    service = Organisation.objects.get(name="Riverside NHS Talking Therapies")
    if Provider.objects.filter(organisation=service).exists():
        return
    provider = services.provider_save(
        provider=Provider(
            name="Riverside Talking Therapies: active therapy",
            organisation=service,
            description="In-house offers for people in treatment with Riverside.",
            last_verified_at=timezone.now(),
        ),
        system_actor=SYSTEM,
    )
    venue = services.venue_save(
        venue=Venue(
            provider=provider,
            name="Riverside clinic",
            postcode="LS2 9JT",
            last_verified_at=timezone.now(),
        ),
        accessibility=[A.STEP_FREE, A.ACCESSIBLE_TOILET],
        system_actor=SYSTEM,
    )
    services.activity_save(
        activity=Activity(
            provider=provider,
            venue=venue,
            name="1:1 sessions with an exercise instructor",
            activity_type=_type(Interest.GYM_WORKOUT),
            format=Format.ONE_TO_ONE,
            is_free=True,
            takes_referrals=True,
            referral_email="active.therapy@example.nhs.uk",
            last_verified_at=timezone.now(),
        ),
        suitability=[S.BEGINNERS, S.MENTAL_HEALTH_AWARE, S.LONG_TERM_CONDITIONS],
        weekly_slots=[(MON, time(9), time(17)), (WED, time(9), time(17))],
        system_actor=SYSTEM,
    )
