"""Demo service users for `seed_demo`: ~200 across both demo services, with referrals in
every state, made through the real services so their histories are real. Idempotent."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from nhs_number import REGION_SYNTHETIC, generate

from providers.models import Activity
from referrals.models import Referral, ReferralEvent, Screening, ServiceUser
from referrals.nudges import delivery, schedule
from referrals.nudges.models import Nudge
from referrals.pathway import services
from referrals.pathway.history import BACKDATE, history_change
from talkingmoves.accounts.models import Organisation, Role, User
from talkingmoves.vocabulary.attendance import SessionAttendance
from talkingmoves.vocabulary.care import Step
from talkingmoves.vocabulary.contact import ContactChannel
from talkingmoves.vocabulary.people import EthnicCategory, Gender
from talkingmoves.vocabulary.referral import DeclineReason

PEOPLE_PER_SERVICE = 100
CLEAR = {f"q{n}": False for n in range(1, 8)}
GIVEN = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Femi",
    "Grace",
    "Hassan",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Niamh",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
]
FAMILY = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Roberts",
    "Singh",
    "Taylor",
    "Walker",
]


def seed_service_users() -> None:
    services_ = Organisation.objects.filter(kind=Organisation.Kind.TALKING_THERAPIES)
    if ServiceUser.objects.filter(service__in=services_).exists():
        return
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    # Synthetic NHS numbers only (the range reserved for testing).
    numbers = iter(generate(for_region=REGION_SYNTHETIC, quantity=2 * PEOPLE_PER_SERVICE))
    # Referrals go to listings whose provider answers them in TalkingMoves.
    referable = list(
        Activity.objects.filter(
            takes_referrals=True,
            archived_at__isnull=True,
            provider__partnership__isnull=False,
            provider__organisation__users__role=Role.PROVIDER_STAFF,
        ).distinct()
    )
    signpost_only = list(Activity.objects.filter(takes_referrals=False, archived_at__isnull=True))
    for number_block, service in enumerate(services_):
        clinicians = list(User.objects.filter(organisation=service, role=Role.CLINICIAN))
        if not clinicians:
            continue
        with transaction.atomic():
            for n in range(PEOPLE_PER_SERVICE):
                _person(
                    service,
                    clinicians[n % len(clinicians)],
                    n,
                    f"07700900{(number_block * PEOPLE_PER_SERVICE + n) % 1000:03d}",
                    rng,
                    numbers,
                    referable,
                    signpost_only,
                )
    send_due_nudges_now()


def send_due_nudges_now() -> None:
    """Deliver what the backdated history has made due, a day at a time as the dispatcher
    would have, so the local outbox has messages and records show sent, skipped and
    deferred nudges with believable times. After the first, each day's run is at 10:00, when
    the dispatcher would send, so text messages are not all held by quiet hours when the demo
    is seeded at night."""
    now = timezone.now()
    first = Nudge.objects.filter(status=Nudge.Status.SCHEDULED).order_by("due_at").first()
    moment = min(first.due_at, now) if first else now
    while True:
        while ids := delivery.claim_due(now=moment):
            for nudge_id in ids:
                delivery.deliver(nudge_id, now=moment)
        if moment >= now:
            return
        next_morning = timezone.localtime(moment).date() + timedelta(days=1)
        moment = min(schedule.at_local(next_morning, schedule.SEND_AT), now)


def _person(service, clinician, n, mobile, rng, numbers, referable, signpost_only):
    now = timezone.now()
    person = ServiceUser.objects.create(
        service=service,
        assigned_clinician=clinician,
        nhs_number=str(next(numbers)),
        given_name=GIVEN[n % len(GIVEN)],
        family_name=FAMILY[(n * 7 + n // len(GIVEN)) % len(FAMILY)],
        date_of_birth=(now - timedelta(days=365 * rng.randint(18, 80))).date(),
        postcode=rng.choice(["LS1 4AP", "LS6 2AB", "LS8 1AA", "LS12 3HB", "LS2 9JT"]),
        email=f"demo.person{service.pk}.{n}@example.com",
        mobile=mobile,  # Ofcom's drama range, one number per person
        gender=rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.NON_BINARY]),
        ethnic_category=rng.choice(list(EthnicCategory.values)),
        has_disability_or_ltc=rng.random() < 0.5,
        step=rng.choice(Step.values),
        consent_share_at=now,
        consent_share_by=clinician,
        consent_email_at=now,
        consent_email_by=clinician,
    )
    if n % 3 == 1:  # a third prefer texts, so the demo has SMS messages and text replies
        person.consent_sms_at, person.consent_sms_by = now, clinician
        person.preferred_contact = ContactChannel.SMS
        person.save(update_fields=["consent_sms_at", "consent_sms_by", "preferred_contact"])
    Screening.objects.create(
        service_user=person, answers=CLEAR, outcome="clear", recorded_by=clinician
    )
    # Both services refer into the demo directory; one person in five has no referral.
    if not referable or n % 5 == 0:
        return
    activity = rng.choice(referable)
    target = [
        Referral.Status.DRAFT,
        Referral.Status.SENT,
        Referral.Status.ACCEPTED,
        Referral.Status.DECLINED,
        Referral.Status.ATTENDING,
        Referral.Status.COMPLETED,
        Referral.Status.WITHDRAWN,
        Referral.Status.DROPPED_OUT,
    ][n % 8]
    _referral_to(person, activity, clinician, target)
    # A referral still waiting for the provider was sent a few days ago, so nothing in the
    # demo auto-declines (14 days) or changes state in the first days after `make run`.
    waiting = target in (Referral.Status.DRAFT, Referral.Status.SENT)
    _backdate_referrals(person, days=rng.randint(1, 4) if waiting else rng.randint(24, 60))
    if signpost_only and n % 3 == 0:
        signposted = services.referral_create(
            service_user=person, activity=signpost_only[0], kind="signpost", by=clinician
        )
        if n % 2:
            services.referral_move(
                referral=signposted,
                to=Referral.Status.TAKEN_UP,
                by=clinician,
                expected_from=Referral.Status.SIGNPOSTED,
            )


def _backdate_referrals(person, *, days: int) -> None:
    """Move a person's referral history (and its nudges) back in time, so the demo shows
    referrals made weeks ago, with attendance after them and messages already sent."""
    delta = timedelta(days=days)
    Referral.objects.filter(service_user=person).update(
        created_at=F("created_at") - delta,
        sent_at=F("sent_at") - delta,
        answered_at=F("answered_at") - delta,
        updated_at=F("updated_at") - delta,
    )
    with history_change(BACKDATE):  # the only change the history's trigger allows the demo
        ReferralEvent.objects.filter(referral__service_user=person).update(at=F("at") - delta)
    Nudge.objects.filter(service_user=person).update(
        due_at=F("due_at") - delta, created_at=F("created_at") - delta
    )


def _referral_to(person, activity, clinician, target):
    S = Referral.Status
    provider_staff = User.objects.filter(
        organisation=activity.provider.organisation, role=Role.PROVIDER_STAFF
    ).first()
    referral = services.referral_create(
        service_user=person,
        activity=activity,
        kind="refer",
        by=clinician,
        what_they_would_enjoy="Something gentle with other people",
        goal="Get out of the house",
    )
    if target == S.DRAFT:
        return
    if target == S.WITHDRAWN:
        services.referral_move(
            referral=referral, to=S.WITHDRAWN, by=clinician, expected_from=S.DRAFT
        )
        return
    services.referral_send(referral=referral, by=clinician)
    if target == S.SENT or provider_staff is None:
        return
    if target == S.DECLINED:
        services.referral_decline(referral=referral, by=provider_staff, reason=DeclineReason.FULL)
        return
    services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
    if target == S.ACCEPTED:
        return
    if target == S.DROPPED_OUT:
        services.referral_move(
            referral=referral, to=S.DROPPED_OUT, by=provider_staff, expected_from=S.ACCEPTED
        )
        return
    today = timezone.localdate()
    for weeks_ago in (3, 2, 1):
        # Attending people missed their latest session: the register shows it, and the
        # service user gets one gentle follow-up.
        missed = weeks_ago == 1 and target == S.ATTENDING
        services.attendance_record(
            referral=referral,
            session_date=today - timedelta(weeks=weeks_ago),
            status=SessionAttendance.MISSED if missed else SessionAttendance.ATTENDED,
            by=provider_staff,
        )
    if target == S.COMPLETED:
        services.referral_move(
            referral=referral, to=S.COMPLETED, by=provider_staff, expected_from=S.ATTENDING
        )
