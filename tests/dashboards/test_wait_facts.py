"""The waits kept by day and length (ADR 023): the triggers keep them equal to a count of
the episodes and referral copies after every kind of change to an episode's first
treatment (the referral side is checked after every change in test_referral_facts.py, whose
drift() includes them); the waits read from them equal the episodes'; and the nightly
reconcile puts drift right."""

import logging
from datetime import date

import pytest
from django.db import connection

from outcomes import services
from outcomes.dashboards import tasks
from outcomes.dashboards.lead.measures import waits
from outcomes.dashboards.periods import Period
from outcomes.models import Appointment, Episode, WaitDayFact
from outcomes.services.wait_facts import wait_facts_drift
from tests.outcomes.factories import AppointmentFactory, EpisodeFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PERIODS = [
    Period(date(2026, 1, 12), date(2026, 1, 12)),  # a first treatment's day
    Period(date(2026, 1, 13), date(2026, 3, 1)),  # the day after it, onwards
    Period(date(2025, 12, 1), date(2026, 1, 11)),  # up to the day before
    Period(date(2025, 4, 1), date(2026, 3, 31)),  # a financial year
    Period(date(2026, 1, 1), date(2026, 1, 4)),  # a first treatment before its referral
]


def _same(service_id) -> None:
    assert wait_facts_drift(service_id) == 0
    for period in PERIODS:
        kept = waits.treatment_wait(service_id, period)
        assert kept == waits.treatment_wait_from_episodes(service_id, period)
        assert kept == waits.treatment_wait_raw(service_id, period)


def _kept(service_id) -> dict:
    return {
        (row.day, row.days): row.n
        for row in WaitDayFact.objects.filter(service_id=service_id, kind="treatment")
        if row.n
    }


def test_every_change_to_a_first_treatment_keeps_the_waits(clinician):
    service = clinician.organisation_id
    person = ServiceUserFactory(service=clinician.organisation)
    episode = EpisodeFactory(service_user=person, sessions=2)  # 12 and 19 January
    other = EpisodeFactory(service_user=ServiceUserFactory(service=clinician.organisation))
    assert _kept(service) == {(date(2026, 1, 12), 7): 1}
    _same(service)

    # A backdated attended treatment moves the first treatment (and the wait) earlier.
    services.appointment_record(
        episode=episode, on=date(2026, 1, 8), kind="treatment", attendance="attended",
        by=clinician,
    )  # fmt: skip
    assert _kept(service) == {(date(2026, 1, 8), 3): 1}
    _same(service)

    # A second episode starts treatment on the same day after the same wait: counted twice.
    services.appointment_record(
        episode=other, on=date(2026, 1, 8), kind="treatment", attendance="attended",
        by=clinician,
    )  # fmt: skip
    assert _kept(service) == {(date(2026, 1, 8), 3): 2}
    _same(service)

    # The referral date corrected (an SQL repair): the wait's length moves, not its day;
    # one received after the first treatment (bad data) is still counted as the episodes
    # count it, and the period ending before the referral leaves it out.
    Episode.objects.filter(pk=other.pk).update(referral_received_on=date(2026, 1, 1))
    Episode.objects.filter(pk=episode.pk).update(referral_received_on=date(2026, 1, 9))
    assert _kept(service) == {(date(2026, 1, 8), 7): 1, (date(2026, 1, 8), -1): 1}
    _same(service)

    # Ending and reopening change nothing; a change of another column writes nothing.
    services.episode_end(
        episode=Episode.objects.get(pk=episode.pk), ended_on=date(2026, 2, 2),
        ending_reason="46", by=clinician,
    )  # fmt: skip
    Episode.objects.filter(service_id=service).update(step=3)
    _same(service)

    # Moved to another service, then deleted: the waits follow, then go.
    elsewhere = EpisodeFactory().service_id
    Episode.objects.filter(pk=other.pk).update(service_id=elsewhere)
    assert _kept(service) == {(date(2026, 1, 8), -1): 1}
    assert _kept(elsewhere) == {(date(2026, 1, 8), 7): 1}
    _same(service)
    _same(elsewhere)
    person.delete()  # erasure removes the episodes (CASCADE)
    assert _kept(service) == {}
    _same(service)


def test_the_nightly_reconcile_puts_drift_right(clinician, caplog):
    """First treatments changed with the triggers off, and the table edited by hand."""
    service = clinician.organisation_id
    for weeks in (0, 1, 2):
        episode = EpisodeFactory(
            service_user=ServiceUserFactory(service=clinician.organisation), sessions=2
        )
        AppointmentFactory(episode=episode, on=date(2026, 1, 5 + 7 * weeks))
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute("UPDATE outcomes_episode SET first_treatment_on = '2025-12-01'")
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    WaitDayFact.objects.create(
        service_id=service, kind="treatment", day=date(2020, 1, 1), days=4, n=2
    )
    assert wait_facts_drift(service) > 0
    year = PERIODS[3]
    assert waits.treatment_wait(service, year) != waits.treatment_wait_from_episodes(service, year)

    with caplog.at_level(logging.WARNING):
        found = tasks.reconcile_day_facts()
    assert found["waits"][service] >= 3
    assert "waits facts drifted: service" in caplog.text
    assert wait_facts_drift(service) == 0
    assert waits.treatment_wait(service, year) == waits.treatment_wait_from_episodes(service, year)
    assert tasks.reconcile_day_facts()["waits"][service] == 0
    # The other nightly task puts the episodes' first treatments right: the triggers
    # follow, and the waits are the appointments' again.
    tasks.reconcile_episode_facts()
    _same(service)


def test_a_wait_whose_last_episode_goes_counts_for_nothing(clinician):
    """A row left at 0 adds nothing to a period, and the reconcile does not call it drift."""
    service = clinician.organisation_id
    episode = EpisodeFactory(
        service_user=ServiceUserFactory(service=clinician.organisation), sessions=1
    )
    Appointment.objects.filter(episode=episode).update(attendance="did_not_attend")
    services.episode_recompute(episode=Episode.objects.get(pk=episode.pk))
    assert WaitDayFact.objects.filter(service_id=service, n=0).exists()
    assert waits.treatment_wait(service, PERIODS[3]).started == 0
    _same(service)
