"""Seeds outcomes on top of the referrals seed: 100,000 episodes (one per service user),
1,000,000 PHQ-9 / GAD-7 measures, their appointments, attendance at activities for the
referrals that got that far, service-user nudges with answers, and demographics for the
equity tables. PostgreSQL COPY in one pass per table: a few minutes at most.

Derived episode columns come from `outcomes.rules.assess`, as the live services compute them.
"""

import random
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from bench import size
from bench.copy_rows import copy_rows
from outcomes import rules
from outcomes.models import Appointment, Episode, Measure
from outcomes.services.facts import episode_facts_reconcile
from referrals.models import Attendance, Referral, ServiceUser
from referrals.nudges.models import Nudge, NudgeResponse
from talkingmoves.accounts.models import Organisation, Role, User

EPISODES = size.SERVICE_USERS
MEASURES_PER_EPISODE = 10  # five PHQ-9 and five GAD-7: 1,000,000 in all (at scale 1)
RECORD_MEASURES = 20  # the service user whose record page is timed
LEAD_EMAIL = "bench.lead@example.nhs.uk"
ENDED_SHARE = 0.8
NUDGES = size.NUDGES


def describe() -> str:
    return (
        f"Outcomes data: {Episode.objects.count()} episodes, {Measure.objects.count()} measures, "
        f"{Appointment.objects.count()} appointments, {Attendance.objects.count()} attendances, "
        f"{Nudge.objects.count()} nudges"
    )


def ensure_seeded() -> None:
    if not User.objects.filter(email=LEAD_EMAIL).exists():
        rng = random.Random(11)
        with transaction.atomic():
            _seed(rng)
    # COPY bypasses the services that keep the dashboards' facts: the nightly reconcile
    # builds them (and is a no-op on a database seeded before).
    drift = sum(episode_facts_reconcile().values())
    print(f"Episode facts rebuilt: {drift} rows were missing or wrong")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def record_person() -> ServiceUser:
    """The service user with 20 measures (the first by id)."""
    return ServiceUser.objects.filter(service__name="Bench Talking Therapies").order_by("pk")[0]


def _copy(model, columns: list[str], rows) -> None:
    copy_rows(model, columns, rows)


def _item_variants(rng, variants: int = 8) -> dict[tuple[int, int], list[list[int]]]:
    """A few ways of answering `count` items (0 to 3 each) that add up to each total."""
    table = {}
    for count in (7, 8, 9):
        for total in range(3 * count + 1):
            options = []
            for _ in range(variants):
                items = [0] * count
                for _ in range(total):
                    items[rng.choice([n for n in range(count) if items[n] < 3])] += 1
                options.append(items)
            table[(total, count)] = options
    return table


def _items(table, total: int, kind: str, rng) -> list[int | None]:
    if kind == "gad7":
        return [*rng.choice(table[(total, 7)]), None, None]
    # PHQ-9 item 9 stays 0 where the total allows, so the bench raises few risk flags.
    if total <= 24:
        return [*rng.choice(table[(total, 8)]), 0]
    return list(rng.choice(table[(total, 9)]))


def _seed(rng) -> None:
    now = timezone.now()
    today = timezone.localdate()
    service = Organisation.objects.get(name="Bench Talking Therapies")
    clinician = User.objects.get(email="bench.clinician@example.nhs.uk")
    User.objects.create_user(
        LEAD_EMAIL, "x" * 20, full_name="Bench Lead", role=Role.SERVICE_LEAD, organisation=service
    )
    # Demographics for the equity tables, spread deterministically.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ServiceUser._meta.db_table} SET
              gender = (ARRAY['1','2','2','1','3','X','Z'])[1 + id %% 7],
              ethnic_category = (ARRAY['A','A','A','B','C','D','H','J','K','M','N','R','S','Z'])
                [1 + (id * 7) %% 14],
              date_of_birth = DATE '1945-01-01' + ((id * 7919) %% 22000)::int,
              has_disability_or_ltc = CASE id %% 5 WHEN 0 THEN NULL ELSE (id %% 2 = 0) END
            WHERE service_id = %s
            """,
            [service.pk],
        )
    people = list(
        ServiceUser.objects.filter(service=service).order_by("pk").values_list("pk", flat=True)
    )[:EPISODES]

    episode_columns = [
        "public_id", "service_user_id", "service_id", "referral_received_on", "referral_source",
        "step", "ended_on", "ending_reason", "created_at", "created_by_id", "first_phq9",
        "first_gad7", "last_phq9", "last_gad7", "treatment_sessions", "finished_treatment",
        "caseness_at_start", "caseness_at_end", "recovered", "reliably_improved",
        "reliably_recovered", "reliably_deteriorated", "no_reliable_change", "phq9_change",
        "gad7_change", "activity_group",
    ]  # fmt: skip
    plans = {}

    def episodes():
        for n, person in enumerate(people):
            ended = rng.random() < ENDED_SHARE
            length = rng.randint(40, 200)
            if ended:
                ended_on = today - timedelta(days=rng.randint(0, 730))
                received = ended_on - timedelta(days=length)
            else:
                ended_on, received = None, today - timedelta(days=rng.randint(1, length))
            first_phq9, first_gad7 = rng.randint(5, 24), rng.randint(4, 19)
            last_phq9 = max(0, min(27, first_phq9 + rng.randint(-14, 5)))
            last_gad7 = max(0, min(21, first_gad7 + rng.randint(-11, 4)))
            sessions = rng.choice([0, 1, 2, 3, 4, 5, 6, 8])
            columns = {
                "first_phq9": first_phq9,
                "first_gad7": first_gad7,
                "last_phq9": last_phq9,
                "last_gad7": last_gad7,
                "treatment_sessions": sessions,
            }
            a = rules.assess(**columns)
            if ended:
                flags = [
                    a.finished_treatment, a.caseness_at_start, a.caseness_at_end, a.recovered,
                    a.reliably_improved, a.reliably_recovered, a.reliably_deteriorated,
                    a.no_reliable_change,
                ]  # fmt: skip
            else:
                flags = [None, rules.at_caseness(first_phq9, first_gad7)] + [None] * 6
            measures = RECORD_MEASURES if n == 0 else MEASURES_PER_EPISODE
            plans[person] = (received, ended_on, columns, sessions, measures)
            yield [
                uuid.uuid4(), person, service.pk, received, "A1", 2 + n % 2, ended_on,
                "46" if ended else "", now, clinician.pk, first_phq9, first_gad7, last_phq9,
                last_gad7, sessions, *flags, a.phq9_change, a.gad7_change, "not_referred",
            ]  # fmt: skip

    _copy(Episode, episode_columns, episodes())
    episode_ids = dict(Episode.objects.filter(service=service).values_list("service_user_id", "pk"))

    variants = _item_variants(rng)
    measure_columns = [
        "public_id", "episode_id", "kind", "taken_on", *[f"item_{n}" for n in range(1, 10)],
        "total", "source", "recorded_by_id", "recorded_at", "arrived_late",
    ]  # fmt: skip

    def measures():
        for person, (received, ended_on, columns, _, count) in plans.items():
            end = ended_on or today
            span = max(1, (end - received).days)
            per_kind = count // 2
            for kind, first, last in (
                ("phq9", columns["first_phq9"], columns["last_phq9"]),
                ("gad7", columns["first_gad7"], columns["last_gad7"]),
            ):
                for k in range(per_kind):
                    share = k / (per_kind - 1)
                    total = round(first + (last - first) * share)
                    items = _items(variants, total, kind, rng)
                    taken = received + timedelta(days=round(span * share))
                    yield [
                        uuid.uuid4(), episode_ids[person], kind, taken, *items, total,
                        "clinician", clinician.pk, now, False,
                    ]  # fmt: skip

    _copy(Measure, measure_columns, measures())

    appointment_columns = ["public_id", "episode_id", "on", "kind", "attendance", "recorded_at"]

    def appointments():
        for person, (received, ended_on, _, sessions, _) in plans.items():
            episode = episode_ids[person]
            yield [
                uuid.uuid4(),
                episode,
                received + timedelta(days=7),
                "assessment",
                "attended",
                now,
            ]
            for k in range(sessions):
                on = received + timedelta(days=14 + 7 * k)
                if ended_on is not None and on > ended_on:
                    on = ended_on
                yield [uuid.uuid4(), episode, on, "treatment", "attended", now]
            if rng.random() < 0.3:
                yield [uuid.uuid4(), episode, received + timedelta(days=10), "treatment",
                       "did_not_attend", now]  # fmt: skip

    _copy(Appointment, appointment_columns, appointments())

    # Attendance at activities, for the referrals that got as far as a first session.
    # Read before the COPY starts: the connection can run nothing else during one.
    started = list(
        Referral.objects.filter(
            service_user__service=service, status__in=["attending", "completed", "dropped_out"]
        ).values_list("pk", "sent_at", "status")
    )

    def attendances():
        for pk, sent_at, status in started:
            if status == "dropped_out" and pk % 2:
                continue  # dropped out before attending
            first = (sent_at + timedelta(days=rng.randint(2, 21))).date()
            yield [pk, first, "attended", "provider", now]
            if status == "completed":
                yield [pk, first + timedelta(days=7), "attended", "provider", now]

    _copy(
        Attendance,
        ["referral_id", "session_date", "status", "source", "recorded_at"],
        attendances(),
    )
    # The services keep each referral's first attended date; COPY bypasses them.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral r SET first_attended_on = a.first,"
            " provider_attended_on = a.on_register FROM ("
            " SELECT referral_id, MIN(session_date) AS first, MIN(session_date)"
            " FILTER (WHERE source = 'provider') AS on_register FROM referrals_attendance"
            " WHERE status = 'attended' GROUP BY referral_id) a WHERE a.referral_id = r.id"
        )

    _set_activity_groups(service)

    nudge_columns = [
        "id", "service_id", "audience", "template", "service_user_id", "link_path", "due_at",
        "status", "channel", "sent_to", "attempts", "last_error", "skip_reason",
        "deferred_reason", "possible_duplicate", "recipient_email", "sent_at", "created_at",
        "updated_at", "gateway_id",
    ]  # fmt: skip
    answered = []

    def nudges():
        for n in range(NUDGES):
            nudge_id = uuid.uuid4()
            sent = now - timedelta(days=rng.randint(1, 400), minutes=rng.randint(0, 1440))
            status = "delivered" if n % 3 else "sent"
            if rng.random() < 0.35:
                answered.append((nudge_id, sent))
            yield [
                nudge_id, service.pk, "service_user", "did_you_go", people[n % len(people)], "",
                sent, status, "email", "p@example.com", 1, "", "", "", False, "", sent, sent,
                sent, "",
            ]  # fmt: skip

    _copy(Nudge, nudge_columns, nudges())
    answers = ["went", "not_yet", "call_me", "stop"]
    _copy(
        NudgeResponse,
        ["nudge_id", "answer", "answered_at"],
        ([nudge_id, rng.choice(answers), sent + timedelta(hours=5)] for nudge_id, sent in answered),
    )


def _set_activity_groups(service) -> None:
    """Each episode's activity group, as outcomes/uptake.py decides it, in one statement
    (the services would take minutes for 100,000 episodes): a referral made during the
    episode with a session the provider recorded within it, or only a referral."""
    window = "BETWEEN e.referral_received_on AND COALESCE(e.ended_on, CURRENT_DATE)"
    made_during = (
        "FROM referrals_referral r WHERE r.service_user_id = e.service_user_id"
        f" AND r.sent_at IS NOT NULL AND (r.created_at AT TIME ZONE 'Europe/London')::date {window}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE outcomes_episode e SET activity_group = CASE
              WHEN EXISTS (SELECT 1 {made_during} AND EXISTS (
                SELECT 1 FROM referrals_attendance a WHERE a.referral_id = r.id
                AND a.status = 'attended' AND a.source = 'provider' AND a.session_date {window}))
                THEN 'took_up'
              WHEN EXISTS (SELECT 1 {made_during}) THEN 'not_taken_up'
              ELSE 'not_referred' END
            WHERE e.service_id = %s
            """,
            [service.pk],
        )
