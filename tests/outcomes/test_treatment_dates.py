"""Each episode's first and second attended treatment dates (ADR 016): what the waits read
instead of searching every appointment. Stored by the episode recompute whenever an
appointment is recorded, equal to the figures from the appointments themselves at the
periods' edges, and put right by the nightly reconcile after a change that bypassed the
services."""

from datetime import date

import pytest

from outcomes import services
from outcomes.dashboards.lead.measures import waits
from outcomes.dashboards.periods import Period
from outcomes.models import Appointment, Episode
from outcomes.services.facts import episode_facts_reconcile
from outcomes.services.treatment_dates import episode_treatment_dates_reconcile
from tests.outcomes.factories import AppointmentFactory, EpisodeFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _record(episode, clinician, on, *, kind="treatment", attendance="attended"):
    services.appointment_record(
        episode=episode, on=on, kind=kind, attendance=attendance, by=clinician
    )
    episode.refresh_from_db()
    return episode


def _dates(episode):
    episode.refresh_from_db()
    return episode.first_treatment_on, episode.second_treatment_on


def test_recording_appointments_keeps_the_dates(clinician, episode):
    """Only attended treatment counts; a backdated appointment moves both dates."""
    _record(episode, clinician, date(2026, 1, 6), kind="assessment")
    _record(episode, clinician, date(2026, 1, 13), attendance="did_not_attend")
    assert _dates(episode) == (None, None)
    _record(episode, clinician, date(2026, 1, 20))
    assert _dates(episode) == (date(2026, 1, 20), None)
    _record(episode, clinician, date(2026, 2, 3), kind="review_and_treatment")
    assert _dates(episode) == (date(2026, 1, 20), date(2026, 2, 3))
    _record(episode, clinician, date(2026, 1, 14), kind="assessment_and_treatment")
    assert _dates(episode) == (date(2026, 1, 14), date(2026, 1, 20))


def test_ending_and_reopening_the_episode_keep_the_dates(clinician, episode):
    _record(episode, clinician, date(2026, 1, 12))
    _record(episode, clinician, date(2026, 1, 19))
    services.episode_end(
        episode=episode, ended_on=date(2026, 2, 2), ending_reason="46", by=clinician
    )
    assert _dates(episode) == (date(2026, 1, 12), date(2026, 1, 19))
    services.episode_reopen(episode=Episode.objects.get(pk=episode.pk), by=clinician)
    assert _dates(episode) == (date(2026, 1, 12), date(2026, 1, 19))


def test_the_nightly_reconcile_puts_right_a_change_that_bypassed_the_services(clinician):
    episode = EpisodeFactory(
        service_user=ServiceUserFactory(service=clinician.organisation), sessions=3
    )
    assert _dates(episode) == (date(2026, 1, 12), date(2026, 1, 19))
    assert episode_treatment_dates_reconcile() == 0  # the services kept them exact
    # An SQL repair: the first session was in fact missed.
    Appointment.objects.filter(episode=episode, on=date(2026, 1, 12)).update(
        attendance="did_not_attend"
    )
    # A bulk load: an appointment inserted without the services.
    AppointmentFactory.create(episode=episode, on=date(2026, 1, 8))
    other = EpisodeFactory(service_user=ServiceUserFactory(service=clinician.organisation))
    Episode.objects.filter(pk=other.pk).update(first_treatment_on=date(2026, 1, 9))
    episode_facts_reconcile()  # the nightly task's entry point
    assert _dates(episode) == (date(2026, 1, 8), date(2026, 1, 19))
    assert _dates(other) == (None, None)
    assert episode_treatment_dates_reconcile() == 0


def test_an_erased_person_leaves_nothing_behind(clinician):
    person = ServiceUserFactory(service=clinician.organisation)
    EpisodeFactory(service_user=person, sessions=2)
    person.delete()  # erasure removes the episodes and appointments (CASCADE)
    assert episode_treatment_dates_reconcile() == 0
    gaps = waits.long_gaps(clinician.organisation_id, Period(date(2026, 1, 1), date(2026, 3, 1)))
    assert gaps.denominator == 0


def _ended(clinician, first, second, *, ended_on):
    episode = EpisodeFactory(
        service_user=ServiceUserFactory(service=clinician.organisation),
        referral_received_on=date(2025, 9, 1),
    )
    for on in (first, second):
        AppointmentFactory(episode=episode, on=on)
    episode.ended_on, episode.ending_reason = ended_on, "46"
    episode.save()
    return services.episode_recompute(episode=episode)


EDGES = [
    Period(date(2025, 10, 1), date(2025, 10, 1)),  # a first treatment's day
    Period(date(2025, 10, 2), date(2025, 12, 31)),  # the day after, to a quarter's end
    Period(date(2025, 9, 1), date(2025, 9, 30)),  # the month before
    Period(date(2025, 12, 31), date(2026, 1, 31)),  # an ending's day
    Period(date(2025, 4, 1), date(2026, 3, 31)),  # a financial year
]


@pytest.mark.parametrize("period", EDGES, ids=lambda p: f"{p.start}-{p.end}")
def test_waits_from_the_stored_dates_are_the_raw_waits(clinician, period):
    """90 days between first and second is not a long gap, 91 is; first treatments on and
    next to the periods' first and last days."""
    _ended(clinician, date(2025, 10, 1), date(2025, 12, 30), ended_on=date(2025, 12, 31))  # 90
    _ended(clinician, date(2025, 10, 1), date(2025, 12, 31), ended_on=date(2025, 12, 31))  # 91
    _ended(clinician, date(2025, 10, 2), date(2026, 1, 31), ended_on=date(2026, 1, 31))
    _ended(clinician, date(2025, 9, 30), date(2025, 10, 3), ended_on=date(2025, 12, 31))
    service = clinician.organisation_id
    assert waits.long_gaps(service, period) == waits.long_gaps_raw(service, period)
    assert waits.treatment_wait(service, period) == waits.treatment_wait_raw(service, period)
    assert waits.treatment_wait(service, period) == waits.treatment_wait_joined(service, period)


def test_the_long_gap_edge_is_counted_as_before(clinician):
    _ended(clinician, date(2025, 10, 1), date(2025, 12, 30), ended_on=date(2025, 12, 31))  # 90
    _ended(clinician, date(2025, 10, 1), date(2025, 12, 31), ended_on=date(2025, 12, 31))  # 91
    gaps = waits.long_gaps(clinician.organisation_id, Period(date(2025, 12, 1), date(2025, 12, 31)))
    assert (gaps.numerator, gaps.denominator) == (1, 2)
