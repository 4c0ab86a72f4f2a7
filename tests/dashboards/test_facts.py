"""The episode facts (ADR 013) stay equal to the episodes on every route that changes one,
and the nightly reconcile rebuilds (and reports) whatever bypassed the services."""

from datetime import date, timedelta

import pytest
from django.db import connection

from outcomes import services
from outcomes.dashboards.tasks import reconcile_episode_facts
from outcomes.models import Episode, EpisodeDayFact
from outcomes.services.facts import (
    day_recount_query,
    episode_facts_rebuild,
    episode_facts_reconcile,
)
from referrals.pathway.services import attendance_record
from tests.dashboards.lead_cast import referral
from tests.outcomes.factories import EpisodeFactory, gad7_items, phq9_items
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")

RECEIVED = date(2026, 1, 5)
ENDED = date(2026, 2, 2)


@pytest.fixture
def person(clinician):
    return ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)


def fact(service_id, day) -> EpisodeDayFact:
    return EpisodeDayFact.objects.get(service_id=service_id, day=day)


def assert_exact(service_id):
    """What the services left is exactly what a rebuild from the episodes gives."""
    assert episode_facts_rebuild(service_id=service_id) == 0


def test_opening_an_episode_counts_it_on_its_referral_day(clinician, person):
    services.episode_open(
        service_user=person, referral_received_on=RECEIVED, referral_source="A1", step=3,
        by=clinician,
    )  # fmt: skip
    row = fact(person.service_id, RECEIVED)
    assert (row.received, row.ended, row.activity_group, row.step) == (1, 0, "not_referred", 3)
    assert_exact(person.service_id)


def test_measures_appointments_ending_and_reopening_keep_the_facts(clinician, person):
    episode = services.episode_open(
        service_user=person, referral_received_on=RECEIVED, referral_source="A1", step=2,
        by=clinician,
    )  # fmt: skip
    for on, phq9, gad7 in ((RECEIVED, 15, 12), (ENDED, 5, 4)):
        services.measure_record(
            episode=episode, kind="phq9", taken_on=on, by=clinician, answers=phq9_items(phq9)
        )
        services.measure_record(
            episode=episode, kind="gad7", taken_on=on, by=clinician, answers=gad7_items(gad7)
        )
    for week in range(3):
        services.appointment_record(
            episode=episode, on=RECEIVED + timedelta(weeks=week + 1), kind="treatment",
            attendance="attended", by=clinician,
        )  # fmt: skip
    assert_exact(person.service_id)

    services.episode_end(episode=episode, ended_on=ENDED, ending_reason="46", by=clinician)
    row = fact(person.service_id, ENDED)
    assert (row.ended, row.finished, row.recovered_n, row.recovered_d) == (1, 1, 1, 1)
    assert (row.phq9_count, row.phq9_sum, row.phq9_squares) == (1, -10, 100)
    assert (row.gad7_count, row.gad7_sum, row.gad7_squares) == (1, -8, 64)
    assert_exact(person.service_id)

    services.episode_reopen(episode=episode, by=clinician)
    assert not EpisodeDayFact.objects.filter(day=ENDED).exists()
    assert fact(person.service_id, RECEIVED).received == 1
    assert_exact(person.service_id)


def test_attendance_recorded_late_moves_the_episode_between_groups(clinician, person):
    activity = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    episode = EpisodeFactory(service_user=person, recovered=True)
    ref = referral(person, activity, status="attending", sent=date(2026, 1, 20), answered_days=1)
    services.episodes_recompute([episode])  # the referral row above skipped the services
    assert fact(person.service_id, episode.ended_on).activity_group == "not_taken_up"

    attendance_record(referral=ref, session_date=date(2026, 2, 1), status="attended", by=clinician)
    rows = EpisodeDayFact.objects.filter(day=episode.ended_on)
    assert [(row.activity_group, row.ended, row.recovered_n) for row in rows] == [("took_up", 1, 1)]
    assert_exact(person.service_id)


def test_the_nightly_reconcile_rebuilds_what_bypassed_the_services(clinician, person):
    service_id = person.service_id
    kept = EpisodeFactory(service_user=person, recovered=True)
    gone = EpisodeFactory(
        service_user=ServiceUserFactory(service=clinician.organisation),
        referral_received_on=date(2025, 11, 3),
        not_recovered=True,
    )
    assert episode_facts_reconcile() == {service_id: 0}

    # A repair in SQL and a deletion, neither through the services.
    Episode.objects.filter(pk=kept.pk).update(recovered=False)
    gone_days = [gone.referral_received_on, gone.ended_on]
    Episode.objects.filter(pk=gone.pk).delete()

    drift = reconcile_episode_facts()
    assert drift[service_id] > 0
    assert fact(service_id, kept.ended_on).recovered_n == 0
    assert not EpisodeDayFact.objects.filter(day__in=gone_days).exists()
    assert episode_facts_reconcile() == {service_id: 0}


def test_facts_belong_to_their_own_service(clinician, other_clinician, person):
    EpisodeFactory(service_user=person, recovered=True)
    other = ServiceUserFactory(service=other_clinician.organisation)
    EpisodeFactory(service_user=other, recovered=True)
    assert fact(person.service_id, ENDED + timedelta(weeks=4)).ended == 1
    assert fact(other.service_id, ENDED + timedelta(weeks=4)).ended == 1
    assert_exact(person.service_id)
    assert_exact(other.service_id)


@pytest.mark.django_db(transaction=True)
def test_a_days_recount_reads_only_the_episode_indexes(clinician):
    """Every send of a first referral recounts its episode's day for the whole service. If
    an episode index stops carrying a column the recount counts, it reads one heap page per
    episode of that day: 2,500 uncached pages for the bench's biggest day (stop 33)."""
    for n in range(3):
        EpisodeFactory(service=clinician.organisation, ended_on=RECEIVED + timedelta(days=n))
        EpisodeFactory(service=clinician.organisation, referral_received_on=RECEIVED, ended=n)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE outcomes_episode")  # marks the pages all-visible
        cursor.execute("SET enable_seqscan = off")  # a few rows: the planner would read them all
        cursor.execute("SET enable_bitmapscan = off")
        sql, params = day_recount_query(service_id=clinician.organisation_id, days=[RECEIVED])
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET ALL")
    assert "Index Only Scan using episode_service_received" in plan
    assert "Index Only Scan using episode_service_ended" in plan
    assert plan.count("Heap Fetches: 0") == 2
