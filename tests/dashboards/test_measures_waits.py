"""Waits, paired-score completeness and engagement for the service lead, from dated cases
worked out by hand."""

from datetime import date

import pytest

from outcomes.dashboards.lead.measures import completeness, engagement, waits
from outcomes.dashboards.periods import Period
from outcomes.services import episode_recompute
from outcomes.services.appointment_facts import episodes_appointment_facts_refresh
from tests.dashboards.lead_cast import at, attended, referral
from tests.outcomes.factories import AppointmentFactory, EpisodeFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Q3 = Period(start=date(2025, 10, 1), end=date(2025, 12, 31))


def person(clinician, **kwargs):
    return ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, **kwargs
    )


def episode(clinician, received, *, treatments=(), **kwargs):
    row = EpisodeFactory(service_user=person(clinician), referral_received_on=received, **kwargs)
    for on in treatments:
        AppointmentFactory(episode=row, on=on)
    episode_recompute(episode=row)
    return row


def test_treatment_wait_counts_those_starting_treatment_in_the_period(clinician):
    # 35 days (within 6 weeks), 60 days (within 18), 200 days (neither): first treatment in Q3.
    episode(clinician, date(2025, 9, 1), treatments=[date(2025, 10, 6), date(2025, 10, 13)])
    episode(clinician, date(2025, 9, 1), treatments=[date(2025, 10, 31)])
    episode(clinician, date(2025, 4, 1), treatments=[date(2025, 10, 18)])
    # An assessment is not treatment; a did-not-attend is not a start; nor one before Q3.
    early = episode(clinician, date(2025, 9, 1), treatments=[date(2025, 9, 20)])
    AppointmentFactory(episode=early, on=date(2025, 10, 2))
    waiting = episode(clinician, date(2025, 9, 1))
    AppointmentFactory(episode=waiting, on=date(2025, 10, 2), kind="assessment")
    AppointmentFactory(episode=waiting, on=date(2025, 10, 3), attendance="did_not_attend")
    wait = waits.treatment_wait(clinician.organisation_id, Q3)
    assert (wait.started, wait.within_6_weeks, wait.within_18_weeks) == (3, 1, 2)
    assert wait.median_days == 60
    assert wait.six_weeks.value == pytest.approx(1 / 3)


def test_activity_wait_counts_provider_recorded_first_sessions(clinician):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    quick = referral(person(clinician), walk, status="attending", sent=date(2025, 9, 20))
    attended(quick, date(2025, 10, 1))  # 11 days
    slow = referral(person(clinician), walk, status="attending", sent=date(2025, 6, 2))
    attended(slow, date(2025, 11, 3))  # 154 days: more than 18 weeks
    earlier = referral(person(clinician), walk, status="attending", sent=date(2025, 9, 1))
    attended(earlier, date(2025, 9, 15))  # first session before Q3
    attended(earlier, date(2025, 10, 15))
    said_so = referral(person(clinician), walk, status="attending", sent=date(2025, 10, 1))
    said_so.attendances.create(
        session_date=date(2025, 10, 8), status="attended", source="self_reported"
    )
    wait = waits.activity_wait(clinician.organisation_id, Q3)
    assert (wait.started, wait.within_6_weeks, wait.within_18_weeks) == (2, 1, 1)
    assert wait.median_days == pytest.approx((11 + 154) / 2)


def test_long_gaps_between_first_and_second_treatment(clinician):
    ended = {"ended_on": date(2025, 11, 30), "ending_reason": "46"}
    episode(clinician, date(2025, 1, 6), treatments=[date(2025, 2, 1), date(2025, 5, 5)], **ended)
    episode(clinician, date(2025, 1, 6), treatments=[date(2025, 2, 1), date(2025, 5, 1)], **ended)
    # One treatment only: not finished, so not counted; ended after Q3: not counted.
    episode(clinician, date(2025, 1, 6), treatments=[date(2025, 2, 1)], **ended)
    episode(
        clinician,
        date(2025, 1, 6),
        treatments=[date(2025, 2, 1), date(2025, 9, 1)],
        ended_on=date(2026, 1, 5),
        ending_reason="46",
    )
    gaps = waits.long_gaps(clinician.organisation_id, Q3)
    # 93 days and 89 days apart: one of two waited more than 90.
    assert (gaps.numerator, gaps.denominator) == (1, 2)


def test_paired_score_completeness_of_finished_and_of_all_ended(clinician):
    ended = {
        "ended": True,
        "ended_on": date(2025, 10, 20),
        "referral_received_on": date(2025, 8, 4),
    }
    EpisodeFactory(service_user=person(clinician), scores=((15, 12), (5, 4)), sessions=3, **ended)
    EpisodeFactory(service_user=person(clinician), sessions=2, **ended)  # finished, no scores
    EpisodeFactory(service_user=person(clinician), scores=((15, 12), (5, 4)), sessions=1, **ended)
    open_episode = {"referral_received_on": date(2025, 8, 4)}
    EpisodeFactory(service_user=person(clinician), scores=((15, 12), (5, 4)), **open_episode)
    figures = completeness.paired_completeness(clinician.organisation_id, Q3)
    assert (figures.finished.numerator, figures.finished.denominator) == (1, 2)
    assert (figures.ended.numerator, figures.ended.denominator) == (2, 3)


def test_did_not_attend_counts_appointments_in_the_period(clinician):
    row = episode(clinician, date(2025, 9, 1))
    for on, attendance in [
        (date(2025, 10, 1), "attended"),
        (date(2025, 10, 8), "did_not_attend"),
        (date(2025, 10, 15), "cancelled"),
        (date(2025, 9, 24), "did_not_attend"),  # before Q3
        (date(2025, 11, 5), "attended"),
    ]:
        AppointmentFactory(episode=row, on=on, attendance=attendance)
    # The rows above skip appointment_record: count their days, as it would (ADR 020).
    episodes_appointment_facts_refresh([row])
    rate = engagement.did_not_attend(clinician.organisation_id, Q3)
    assert rate == engagement.did_not_attend_raw(clinician.organisation_id, Q3)
    assert (rate.numerator, rate.denominator) == (1, 3)


def test_dropout_is_treatment_ended_early_of_treatment_ended(clinician):
    received = {"referral_received_on": date(2025, 8, 4)}
    for reason in ["46", "47", "48", "46"]:
        EpisodeFactory(
            service_user=person(clinician),
            ended_on=date(2025, 12, 1),
            ending_reason=reason,
            **received,
        )
    # Not treated (declined), and a dropout before Q3: in neither count.
    EpisodeFactory(
        service_user=person(clinician), ended_on=date(2025, 12, 1), ending_reason="14", **received
    )
    EpisodeFactory(
        service_user=person(clinician), ended_on=date(2025, 9, 1), ending_reason="48", **received
    )
    rate = engagement.dropout(clinician.organisation_id, Q3)
    assert (rate.numerator, rate.denominator) == (2, 4)


def test_activity_uptake_of_episodes_ended_in_the_period(clinician):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    received = date(2025, 8, 1)

    def ended_with(status=None, *, session=None, self_reported=False):
        someone = person(clinician)
        row = EpisodeFactory(
            service_user=someone,
            referral_received_on=received,
            ended_on=date(2025, 11, 1),
            ending_reason="46",
        )
        if status:
            ref = referral(someone, walk, status=status, sent=date(2025, 8, 4))
            if session:
                attended(ref, session)
            if self_reported:
                ref.attendances.create(
                    session_date=date(2025, 8, 20), status="attended", source="self_reported"
                )
        episode_recompute(episode=row)
        return row

    ended_with("attending", session=date(2025, 8, 11))
    ended_with("attending", session=date(2025, 12, 1))  # after the episode ended: not taken up
    ended_with("accepted")
    ended_with()
    uptake = engagement.activity_uptake(clinician.organisation_id, Q3)
    assert (uptake.ended, uptake.offered, uptake.took_up) == (4, 3, 1)
    assert uptake.of_offered.value == pytest.approx(1 / 3)
    assert engagement.EXERCISE_REFERRAL_UPTAKE_ANCHOR == 0.57
    assert at(received).year == 2025
