"""Monthly trends, recovery by group and change in activity level, from dated cases worked
out by hand."""

from datetime import date

import pytest

from outcomes.dashboards.lead.measures import activity_levels, breakdowns, trends
from outcomes.dashboards.periods import Period
from outcomes.models import Measure
from outcomes.services import episode_recompute
from tests.dashboards.lead_cast import attended, referral
from tests.outcomes.factories import EpisodeFactory
from tests.providers.factories import ActivityFactory, activity_type
from tests.referrals.factories import ServiceUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Q3 = Period(start=date(2025, 10, 1), end=date(2025, 12, 31))
RECEIVED = date(2025, 8, 4)


def person(clinician, **kwargs):
    return ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, **kwargs
    )


def ended(clinician, on, *, recovered=True, sessions=3, someone=None, step=2):
    scores = ((15, 12), (5, 4)) if recovered else ((12, 9), (11, 9))
    return EpisodeFactory(
        service_user=someone or person(clinician),
        referral_received_on=RECEIVED,
        ended=True,
        ended_on=on,
        scores=scores,
        sessions=sessions,
        step=step,
    )


def test_monthly_trends_have_every_month_of_the_period(clinician):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    ended(clinician, date(2025, 10, 10))
    ended(clinician, date(2025, 10, 20), recovered=False)
    someone = person(clinician)
    took_up = ended(clinician, date(2025, 12, 5), someone=someone)
    attended(referral(someone, walk, status="attending", sent=date(2025, 8, 5)), date(2025, 8, 12))
    episode_recompute(episode=took_up)
    EpisodeFactory(
        service_user=person(clinician),
        referral_received_on=RECEIVED,
        sessions=2,
        ended=True,
        ended_on=date(2025, 12, 6),
    )  # fmt: skip  (finished without paired scores)
    months = trends.monthly_trends(clinician.organisation_id, Q3)
    assert [m.month for m in months] == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
    october, november, december = months
    assert (october.recovery.numerator, october.recovery.denominator) == (1, 2)
    assert (october.completeness.numerator, october.completeness.denominator) == (2, 2)
    assert november.ended == 0 and november.recovery.value is None
    assert (december.uptake.numerator, december.uptake.denominator) == (1, 1)
    assert (december.completeness.numerator, december.completeness.denominator) == (1, 2)


def test_months_of_a_period_across_a_year_end():
    period = Period(start=date(2025, 11, 15), end=date(2026, 2, 1))
    assert trends.months_of(period) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
    ]  # fmt: skip


def test_recovery_by_step_and_demographic_group(clinician):
    ended(clinician, date(2025, 10, 1), someone=person(clinician, gender="2"), step=2)
    ended(clinician, date(2025, 10, 2), someone=person(clinician, gender="2"), step=3,
          recovered=False)  # fmt: skip
    ended(clinician, date(2025, 10, 3), someone=person(clinician, gender="1"), step=3)
    # One session only: ended, but not in a recovery denominator.
    ended(clinician, date(2025, 10, 4), someone=person(clinician, gender="1"), sessions=1)
    ended(clinician, date(2025, 9, 4), someone=person(clinician, gender="1"))  # before Q3
    groups = breakdowns.recovery_by_group(clinician.organisation_id, Q3)
    by_step = {
        row.label: (row.ended, row.recovery.numerator, row.recovery.denominator)
        for row in groups["step"]
    }
    assert sorted(by_step.values()) == [(2, 1, 1), (2, 1, 2)]
    by_gender = {
        row.label: (row.ended, row.recovery.numerator, row.recovery.denominator)
        for row in groups["gender"]
    }
    assert sorted(by_gender.values()) == [(2, 1, 1), (2, 1, 2)]
    assert set(groups) == set(breakdowns.DEMOGRAPHICS)


def test_recovery_by_provider_and_activity_type(clinician):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    swim = ActivityFactory(
        takes_referrals=True, referral_email="swim@example.org.uk",
        activity_type=activity_type("Swimming"),
    )  # fmt: skip
    both, walker, late = person(clinician), person(clinician), person(clinician)
    for someone, activity, session in [
        (both, walk, date(2025, 8, 11)),
        (both, swim, date(2025, 8, 12)),
        (walker, walk, date(2025, 8, 13)),
        (late, swim, date(2025, 12, 20)),  # after the episode ended
    ]:
        attended(referral(someone, activity, status="attending", sent=date(2025, 8, 5)), session)
    ended(clinician, date(2025, 10, 1), someone=both)
    ended(clinician, date(2025, 10, 1), someone=walker, recovered=False)
    ended(clinician, date(2025, 10, 1), someone=late)
    rows = breakdowns.recovery_by_activity(clinician.organisation_id, Q3, by=breakdowns.BY_PROVIDER)
    figures = {row.label: (row.ended, row.recovery.numerator) for row in rows}
    assert figures == {walk.provider.name: (2, 1), swim.provider.name: (1, 1)}
    rows = breakdowns.recovery_by_activity(
        clinician.organisation_id, Q3, by=breakdowns.BY_ACTIVITY_TYPE
    )
    assert {row.label: row.ended for row in rows}["Swimming"] == 1


def minutes(episode, on, moderate, vigorous=0):
    Measure.objects.create(
        episode=episode,
        kind="activity_minutes",
        taken_on=on,
        moderate_minutes=moderate,
        vigorous_minutes=vigorous,
        total=moderate + 2 * vigorous,
        recorded_by=episode.service_user.assigned_clinician,
    )


def test_activity_level_change_from_first_to_latest_record(clinician):
    def episode():
        return EpisodeFactory(service_user=person(clinician), referral_received_on=RECEIVED)

    up = episode()
    minutes(up, date(2025, 8, 4), 20)  # inactive
    minutes(up, date(2025, 9, 1), 60)
    minutes(up, date(2025, 10, 6), 60, vigorous=50)  # 160: active
    same = episode()
    minutes(same, date(2025, 8, 4), 40)
    minutes(same, date(2025, 11, 3), 100)  # fairly active both times
    down = episode()
    minutes(down, date(2025, 8, 4), 200)
    minutes(down, date(2025, 12, 1), 10)
    only_one = episode()
    minutes(only_one, date(2025, 10, 6), 10)
    before = episode()
    minutes(before, date(2025, 8, 4), 10)
    minutes(before, date(2025, 9, 30), 300)  # latest record before Q3
    change = activity_levels.activity_level_change(clinician.organisation_id, Q3)
    assert change.people == 3
    assert (change.moved_up, change.stayed, change.moved_down) == (1, 1, 1)
    assert change.at_first("Inactive") == 1 and change.at_latest("Inactive") == 1
    assert change.moves[("Inactive", "Active")] == 1
    # Changes +140, +60, -190: a mean of +10 / 3.
    assert change.minutes_change.value == pytest.approx(10 / 3)
    assert change.minutes_change.interval is not None
