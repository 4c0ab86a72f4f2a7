"""Demo episodes for `seed_demo`: one per demo service user, with appointments and PHQ-9,
GAD-7 and activity measures on believable trajectories. People who went to activity sessions
improve a little more on average, with plenty of noise; some start below caseness, some have
one session only, and a couple have an open risk flag. Rows go in with bulk_create and the
outcome columns are computed by the same code the services use. Idempotent."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outcomes.models import (
    Appointment,
    EndingReason,
    Episode,
    Measure,
    OutcomeSettings,
    ReferralSource,
    RiskFlag,
)
from outcomes.services import episodes_recompute, risk_alerts_raise
from referrals.models import Attendance, Referral, ServiceUser
from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.care import Step

K = Measure.Kind
A = Appointment
E = EndingReason
R = ReferralSource
CLINICIAN = Measure.Source.CLINICIAN


def _clip(value: float, high: int) -> int:
    return max(0, min(high, round(value)))


def _items(total: int, count: int, rng: random.Random, *, last: int | None = None) -> list[int]:
    """`count` answers of 0-3 adding up to about `total`; `last` fixes the final answer
    (PHQ-9 item 9). The stored total is always the sum of what is returned."""
    free = count if last is None else count - 1
    items = [0] * free
    rest = max(0, min(total - (last or 0), 3 * free))
    while rest > 0:
        n = rng.randrange(free)
        if items[n] < 3:
            items[n] += 1
            rest -= 1
    return items if last is None else [*items, last]


def _took_up_activity() -> set[int]:
    attended = Attendance.objects.filter(status=Attendance.Status.ATTENDED).values(
        "referral__service_user_id"
    )
    taken_up = Referral.objects.filter(status=Referral.Status.TAKEN_UP).values("service_user_id")
    return set(attended.values_list("referral__service_user_id", flat=True)) | set(
        taken_up.values_list("service_user_id", flat=True)
    )


def _first_referred_on() -> dict[int, date]:
    """The day each person was first referred or signposted (drafts never sent aside), so
    their episode can start before it: activity counts for an episode only when the
    referral was made during it (outcomes/uptake.py)."""
    rows = Referral.objects.filter(
        Q(kind=Referral.Kind.SIGNPOST) | Q(sent_at__isnull=False)
    ).values_list("service_user_id", "created_at")
    first: dict[int, date] = {}
    for person_id, created_at in rows:
        day = timezone.localdate(created_at)
        first[person_id] = min(day, first.get(person_id, day))
    return first


# Each demo service's duty inbox: without one a service cannot message its service users.
DUTY_CONTACTS = {
    "Riverside NHS Talking Therapies": "duty@demo.test",
    "Hillside NHS Talking Therapies": "duty@other.demo.test",
}


def seed_duty_contacts() -> None:
    for name, email in DUTY_CONTACTS.items():
        service = Organisation.objects.filter(name=name).first()
        if service is not None:
            settings_ = OutcomeSettings.for_service(service.pk)
            if not settings_.has_duty_contact:
                settings_.duty_contact_email = email
                settings_.save(update_fields=["duty_contact_email"])


def seed_outcomes() -> None:
    services_ = Organisation.objects.filter(kind=Organisation.Kind.TALKING_THERAPIES)
    if Episode.objects.filter(service__in=services_).exists():
        return
    people = list(
        ServiceUser.objects.filter(service__in=services_, erased_at__isnull=True)
        .select_related("assigned_clinician")
        .order_by("pk")
    )
    if not people:
        return
    rng = random.Random(2027)  # noqa: S311 (demo data, not security)
    active = _took_up_activity()
    referred = _first_referred_on()
    with transaction.atomic():
        _seed(people, active, referred, rng)


def _seed(people, active, referred, rng):
    today = timezone.localdate()
    plans = [
        _plan(person, person.pk in active, referred.get(person.pk), n, rng, today)
        for n, person in enumerate(people)
    ]
    Episode.objects.bulk_create([p["episode"] for p in plans], batch_size=500)
    appointments, measures = [], []
    for plan in plans:
        for row in plan["appointments"] + plan["measures"]:
            row.episode = plan["episode"]
        appointments += plan["appointments"]
        measures += plan["measures"]
    Appointment.objects.bulk_create(appointments, batch_size=1000)
    Measure.objects.bulk_create(measures, batch_size=1000)
    flags = []
    for plan in plans:
        for m, reviewed in plan["flags"]:
            flag = RiskFlag(service_user_id=plan["episode"].service_user_id, measure=m)
            if reviewed:
                flag.reviewed_at = timezone.now() - timedelta(days=rng.randint(7, 60))
                flag.reviewed_by = plan["episode"].created_by
                flag.review_note = "Assessed by phone; no current plans; safety plan agreed."
            flags.append(flag)
    RiskFlag.objects.bulk_create(flags)
    episodes_recompute([p["episode"] for p in plans])
    # Open flags alert their clinician and the duty contact, as a live one would.
    for flag in RiskFlag.objects.filter(reviewed_at__isnull=True).select_related(
        "service_user__assigned_clinician"
    ):
        risk_alerts_raise(flag)


def _plan(
    person, took_up: bool, referred_on: date | None, n: int, rng: random.Random, today: date
) -> dict:
    clinician = person.assigned_clinician
    step = person.step or rng.choice(Step.values)
    risky = n % 45 == 7  # a couple of people per service, in treatment, with an open flag
    ended = rng.random() < 0.65 and not risky
    planned = (
        rng.choice([1, 2, 4, 6, 6, 8])
        if step == Step.LOW_INTENSITY
        else rng.choice([1, 4, 8, 12, 14])
    )
    received = today - timedelta(days=rng.randint(30, 330) + (planned * 7 if ended else 0))
    if referred_on is not None:
        # Referred during treatment: the episode started a few weeks before, and its weekly
        # sessions (and scores) run until about now, past the activity sessions.
        received = referred_on - timedelta(days=rng.randint(7, 30))
    episode = Episode(
        service_user=person,
        service_id=person.service_id,
        referral_received_on=received,
        referral_source=rng.choice(
            [R.GP, R.GP, R.GP, R.SELF, R.SELF, R.OTHER_PRIMARY_CARE, R.OTHER_SERVICE]
        ),
        step=step,
        created_by=clinician,
    )
    # Starting scores: most at caseness, about one in eight below it.
    if rng.random() < 0.12:
        phq9, gad7 = rng.randint(3, 9), rng.randint(2, 7)
    else:
        phq9, gad7 = _clip(rng.gauss(16, 4.5), 27), _clip(rng.gauss(13, 4), 21)
    # Fraction of the starting score lost by the end: activity helps a bit, noise is large.
    improvement = rng.gauss(0.58 if took_up else 0.38, 0.28)
    first_session = received + timedelta(days=rng.randint(7, 28))
    sessions, day, appointments, measures, flags = 0, first_session, [], [], []
    total_sessions = planned
    if referred_on is not None:
        total_sessions = max(1, (today - first_session).days // 7)
    while sessions <= total_sessions and day <= today:
        kind = A.Kind.ASSESSMENT if sessions == 0 else A.Kind.TREATMENT
        attended = sessions == 0 or rng.random() > 0.12
        appointments.append(
            Appointment(
                on=day,
                kind=kind,
                attendance=A.Attendance.ATTENDED if attended else A.Attendance.DID_NOT_ATTEND,
                recorded_by=clinician,
            )
        )
        if attended:
            progress = sessions / max(total_sessions, 1)
            p = _clip(phq9 * (1 - improvement * progress) + rng.gauss(0, 1.5), 27)
            g = _clip(gad7 * (1 - improvement * progress) + rng.gauss(0, 1.2), 21)
            flag_now = risky and sessions == min(2, total_sessions)
            item_9 = 1 if flag_now or (p >= 15 and rng.random() < 0.04) else 0
            p = max(p, item_9)
            source = Measure.Source.SELF_COMPLETED if rng.random() < 0.2 else CLINICIAN
            by = None if source == Measure.Source.SELF_COMPLETED else clinician
            phq = _measure(K.PHQ9, day, _items(p, 9, rng, last=item_9), source, by)
            measures += [phq, _measure(K.GAD7, day, _items(g, 7, rng), source, by)]
            if item_9:
                flags.append((phq, not (risky and not ended)))
            if sessions in (0, total_sessions // 2, total_sessions):
                base = 2 if took_up else 1
                days_active = _clip(
                    base + 3 * progress * (1.5 if took_up else 0.6) + rng.gauss(0, 1), 7
                )
                measures.append(_measure(K.ACTIVITY_DAYS, day, [days_active], source, by))
                if sessions == 0 or rng.random() < 0.5:
                    moderate = _clip(days_active * rng.randint(20, 45), 10080)
                    vigorous = _clip(rng.choice([0, 0, 15, 30]) * (days_active > 2), 10080)
                    measures.append(_minutes(day, moderate, vigorous, clinician))
            sessions += 1
        day += timedelta(days=7)
    if ended and appointments and appointments[-1].on < today:
        episode.ended_on = min(appointments[-1].on + timedelta(days=rng.randint(0, 10)), today)
        treated = sum(1 for a in appointments if a.kind != A.Kind.ASSESSMENT)
        if treated == 0:
            episode.ending_reason = E.DECLINED_TREATMENT
        elif treated < 2:
            episode.ending_reason = E.ENDED_EARLY_BY_PATIENT
        else:
            episode.ending_reason = rng.choice(
                [E.COMPLETED] * 4 + [E.ENDED_EARLY_BY_CLINICIAN, E.ENDED_EARLY_BY_PATIENT]
            )
    return {"episode": episode, "appointments": appointments, "measures": measures, "flags": flags}


def _measure(kind, day, items, source, by) -> Measure:
    m = Measure(kind=kind, taken_on=day, source=source, recorded_by=by, total=sum(items))
    for n, value in enumerate(items, start=1):
        setattr(m, f"item_{n}", value)
    return m


def _minutes(day, moderate, vigorous, by) -> Measure:
    return Measure(
        kind=K.ACTIVITY_MINUTES,
        taken_on=day,
        source=CLINICIAN,
        recorded_by=by,
        moderate_minutes=moderate,
        vigorous_minutes=vigorous,
        total=moderate + 2 * vigorous,
    )
