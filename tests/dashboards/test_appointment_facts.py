"""The appointment facts (ADR 020) stay equal to the appointments as they are recorded, the
did-not-attend rate read from them equals the one counted from the appointments for every
kind of period, and the nightly reconcile puts right what bypassed the services."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import services
from outcomes.dashboards.lead.measures import engagement
from outcomes.models import AppointmentDayFact, Episode
from outcomes.services.appointment_facts import appointment_facts_reconcile
from outcomes.services.episodes import service_user_episodes_recompute
from outcomes.services.facts import episode_facts_reconcile
from tests.dashboards.test_facts_equal_raw import PERIODS
from tests.outcomes.factories import AppointmentFactory, EpisodeFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
RECEIVED = date(2025, 9, 1)


def open_episode(clinician):
    person = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
    return services.episode_open(
        service_user=person, referral_received_on=RECEIVED, referral_source="A1", step=2,
        by=clinician,
    )  # fmt: skip


def assert_equal_everywhere(service_id):
    assert appointment_facts_reconcile() == 0
    for period in PERIODS:
        assert engagement.did_not_attend(service_id, period) == (
            engagement.did_not_attend_raw(service_id, period)
        ), period


def test_recording_appointments_counts_their_days(clinician, other_clinician):
    episode = open_episode(clinician)
    other = open_episode(clinician)
    for n, attendance in enumerate(["attended", "did_not_attend", "cancelled"] * 4):
        day = RECEIVED + timedelta(days=10 * n)
        for row in (episode, other) if n % 2 else (episode,):
            services.appointment_record(
                episode=row, on=day, kind="treatment", attendance=attendance, by=clinician
            )
    row = AppointmentDayFact.objects.get(service=clinician.organisation, day=RECEIVED)
    assert (row.missed, row.due) == (0, 1)
    row = AppointmentDayFact.objects.get(day=RECEIVED + timedelta(days=10))
    assert (row.missed, row.due) == (2, 2)
    # Another service's appointments are its own.
    outsider = open_episode(other_clinician)
    services.appointment_record(
        episode=outsider, on=RECEIVED, kind="treatment", attendance="did_not_attend",
        by=other_clinician,
    )  # fmt: skip
    assert AppointmentDayFact.objects.filter(day=RECEIVED).count() == 2
    assert_equal_everywhere(clinician.organisation_id)
    assert_equal_everywhere(other_clinician.organisation_id)


def test_the_nightly_reconcile_puts_right_what_bypassed_the_services(clinician):
    episode = open_episode(clinician)
    services.appointment_record(
        episode=episode, on=RECEIVED, kind="treatment", attendance="did_not_attend",
        by=clinician,
    )  # fmt: skip
    # A bulk insert and a deletion, neither through the services.
    AppointmentFactory(episode=episode, on=RECEIVED + timedelta(days=3), attendance="attended")
    gone = EpisodeFactory(
        service_user=ServiceUserFactory(service=clinician.organisation),
        referral_received_on=RECEIVED, sessions=2,
    )  # fmt: skip
    gone_days = [RECEIVED + timedelta(weeks=n) for n in (1, 2)]
    assert AppointmentDayFact.objects.filter(day__in=gone_days).exists()
    Episode.objects.filter(pk=gone.pk).delete()
    assert appointment_facts_reconcile() > 0  # rows wrong or missing, rebuilt
    assert not AppointmentDayFact.objects.filter(day__in=gone_days).exists()
    row = AppointmentDayFact.objects.get(day=RECEIVED + timedelta(days=3))
    assert (row.missed, row.due) == (0, 1)

    # A repair in SQL: the beat job's reconcile (02:30) puts it right.
    AppointmentDayFact.objects.filter(day=RECEIVED).update(missed=5)
    episode_facts_reconcile()
    assert AppointmentDayFact.objects.get(day=RECEIVED).missed == 1
    assert_equal_everywhere(clinician.organisation_id)


def test_a_referral_or_attendance_change_leaves_the_appointment_counts_alone(clinician):
    """Recounting a day reads the whole service's appointments that day (900 ms a day at a
    million people): only recording an appointment changes the counts, so only it recounts."""
    episode = open_episode(clinician)
    services.appointment_record(
        episode=episode, on=RECEIVED, kind="treatment", attendance="attended", by=clinician
    )
    with CaptureQueriesContext(connection) as queries:
        service_user_episodes_recompute(service_user_id=episode.service_user_id)
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "appointmentdayfact" in q["sql"]]
    assert_equal_everywhere(clinician.organisation_id)
