"""Seeds 100,000 service users and 300,000 referrals (with their events) into the bench
database, on top of the directory seed (ten times as many at BENCH_SIZE=large: bench/size.py).
COPY and INSERT ... SELECT: the data is for timing pages, not a record of real moves (the
services are exercised by the tests)."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench import size
from bench.copy_rows import copy_objects
from providers.models import Activity, Provider
from referrals.models import Referral, ReferralEvent, Screening, ServiceUser
from talkingmoves.accounts.models import Organisation, Role, User

SERVICE_USERS = size.SERVICE_USERS
REFERRALS = size.REFERRALS
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
    # Colleagues who never sign in: one unusable password, not one Argon2 hash each (two
    # thousand hashes at BENCH_SIZE=large take minutes on a busy machine).
    colleagues = User.objects.bulk_create(
        (
            User(
                email=f"bench.clinician{n}@example.nhs.uk",
                password=make_password(None),
                full_name=f"Clinician {n}",
                role=Role.CLINICIAN,
                organisation=service,
            )
            for n in range(1, size.CLINICIANS)
        ),
        batch_size=1000,
    )
    colleagues.insert(0, clinician)
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

    copy_objects(
        ServiceUser,
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
    )
    people = list(
        ServiceUser.objects.filter(service=service).order_by("pk").values_list("pk", flat=True)
    )
    _insert_select(
        Screening,
        {"service_user_id": "id", "answers": "'{}'::jsonb", "outcome": "'clear'",
         "recorded_by_id": "%(clinician)s", "taken_at": "now()", "resolution": "''",
         "resolution_note": "''", "public_id": "gen_random_uuid()"},
        ServiceUser, f"service_id = {service.pk}", clinician=clinician.pk,
    )  # fmt: skip

    def referral_rows():
        for n in range(REFERRALS):
            person_pk = people[n % SERVICE_USERS]
            # Each person's three referrals go to three different activities.
            activity_pk = (
                activities[(n + n // SERVICE_USERS) % len(activities)].pk
                if n % 10 == 0
                else others[(n * 7 + n // SERVICE_USERS) % len(others)]
            )
            status = STATUSES[n % len(STATUSES)]
            sent = now - timedelta(days=rng.randint(1, 400))
            yield (
                Referral(
                    service_user_id=person_pk,
                    service_id=service.pk,
                    activity_id=activity_pk,
                    kind="refer",
                    status=status,
                    created_by=clinician,
                    created_at=sent,
                    sent_at=sent,
                    answered_at=None
                    if status == "sent"
                    else sent + timedelta(days=rng.randint(0, 10)),
                    accepted_at=sent + timedelta(days=3) if status in ACCEPTED_OR_LATER else None,
                    goal="Get moving",
                )
            )

    copy_objects(Referral, referral_rows())
    _insert_select(
        ReferralEvent,
        {"referral_id": "id", "from_status": "'draft'", "to_status": "status",
         "actor_id": "%(clinician)s", "at": "sent_at", "system_actor": "''", "note": "''"},
        Referral, f"service_id = {service.pk}", clinician=clinician.pk,
    )  # fmt: skip


def _insert_select(model, values: dict[str, str], source, where: str, **params) -> None:
    """One row of `model` per row of `source`, computed by the database."""
    columns = ", ".join(f'"{column}"' for column in values)
    expressions = ", ".join(values.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {expressions}"
            f" FROM {source._meta.db_table} WHERE {where} ORDER BY id",
            params,
        )
