"""Seeds 100,000 service users and 300,000 referrals (with their events) into the bench
database, on top of the directory seed. Bulk inserts: the data is for timing pages, not a
record of real moves (the services are exercised by the tests)."""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from providers.models import Activity, Provider
from referrals.models import Referral, ReferralEvent, Screening, ServiceUser
from talkingmoves.accounts.models import Organisation, Role, User

SERVICE_USERS = 100_000
REFERRALS = 300_000
MARKER_EMAIL = "bench.provider@example.org.uk"
STATUSES = ["sent", "accepted", "declined", "attending", "completed", "withdrawn", "dropped_out"]

ACCEPTED_OR_LATER = {"accepted", "attending", "completed", "dropped_out"}


def describe() -> str:
    return (
        f"Referrals data: {ServiceUser.objects.count()} service users, "
        f"{Referral.objects.count()} referrals, {ReferralEvent.objects.count()} events"
    )


def ensure_seeded() -> None:
    if User.objects.filter(email=MARKER_EMAIL).exists():
        return
    rng = random.Random(7)
    with transaction.atomic():
        _seed(rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seed(rng) -> None:
    now = timezone.now()
    service = Organisation.objects.get(name="Bench Talking Therapies")
    clinician = User.objects.get(email="bench.clinician@example.nhs.uk")
    colleagues = [clinician] + [
        User.objects.create_user(
            f"bench.clinician{n}@example.nhs.uk",
            "x" * 20,
            full_name=f"Clinician {n}",
            role=Role.CLINICIAN,
            organisation=service,
        )
        for n in range(1, 200)
    ]
    provider_org = Organisation.objects.create(name="Bench Leisure Trust", kind="provider")
    User.objects.create_user(
        MARKER_EMAIL,
        "x" * 20,
        full_name="Bench Provider",
        role=Role.PROVIDER_STAFF,
        organisation=provider_org,
    )
    # The provider organisation runs 200 of the listings, which take referrals.
    providers = list(Provider.objects.order_by("pk")[:100])
    Provider.objects.filter(pk__in=[p.pk for p in providers]).update(organisation=provider_org)
    activities = list(Activity.objects.filter(provider__in=providers)[:200])
    Activity.objects.filter(pk__in=[a.pk for a in activities]).update(
        takes_referrals=True, referral_email="referrals@example.org.uk"
    )
    others = list(
        Activity.objects.exclude(provider__in=providers).values_list("pk", flat=True)[:5000]
    )
    Activity.objects.filter(pk__in=others).update(
        takes_referrals=True, referral_email="r@example.org.uk"
    )

    people = ServiceUser.objects.bulk_create(
        (
            ServiceUser(
                service=service,
                assigned_clinician=colleagues[n % len(colleagues)],
                nhs_number=f"999{n:07d}",
                given_name=f"Given{n}",
                family_name=f"Family{n % 5000}",
                postcode="LS1 4AP",
                email=f"p{n}@example.com",
                consent_share_at=now,
                consent_share_by=clinician,
                interests=[],
                step=2 + n % 2,
            )
            for n in range(SERVICE_USERS)
        ),
        batch_size=5000,
    )
    Screening.objects.bulk_create(
        (
            Screening(service_user=p, answers={}, outcome="clear", recorded_by=clinician)
            for p in people
        ),
        batch_size=5000,
    )
    referral_rows = []
    for n in range(REFERRALS):
        person = people[n % SERVICE_USERS]
        # Each person's three referrals go to three different activities.
        activity_pk = (
            activities[(n + n // SERVICE_USERS) % len(activities)].pk
            if n % 10 == 0
            else others[(n * 7 + n // SERVICE_USERS) % len(others)]
        )
        status = STATUSES[n % len(STATUSES)]
        sent = now - timedelta(days=rng.randint(1, 400))
        referral_rows.append(
            Referral(
                service_user=person,
                service_id=person.service_id,
                activity_id=activity_pk,
                kind="refer",
                status=status,
                created_by=clinician,
                created_at=sent,
                sent_at=sent,
                answered_at=None if status == "sent" else sent + timedelta(days=rng.randint(0, 10)),
                accepted_at=sent + timedelta(days=3) if status in ACCEPTED_OR_LATER else None,
                goal="Get moving",
            )
        )
    referrals = Referral.objects.bulk_create(referral_rows, batch_size=10000)
    ReferralEvent.objects.bulk_create(
        (
            ReferralEvent(
                referral=r, from_status="draft", to_status=r.status, actor=clinician, at=r.sent_at
            )
            for r in referrals
        ),
        batch_size=10000,
    )
