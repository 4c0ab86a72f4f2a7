"""Each ended episode's activities (ADR 020) stay equal to a from-scratch recompute from the
sessions on every route that changes them, the recovery tables read from them equal the
reference join, and the nightly reconcile puts right (and reports) what bypassed the
services."""

from datetime import date

import pytest
from django.db import connection

from outcomes import services
from outcomes.dashboards.lead.measures import breakdowns
from outcomes.dashboards.periods import Period
from outcomes.models import Episode, EpisodeActivity
from outcomes.services.episode_activities import _EXPECTED, _params, episode_activities_reconcile
from outcomes.services.facts import episode_facts_reconcile
from referrals.models import Attendance
from referrals.pathway.services import attendance_record
from tests.dashboards.lead_cast import referral
from tests.outcomes.factories import EpisodeFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
YEAR = Period(date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def person(clinician):
    return ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)


def stored() -> set[tuple]:
    return set(
        EpisodeActivity.objects.values_list(
            "episode_id", "activity_id", "service_id", "ended_on", "recovered"
        )
    )


def recomputed() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_EXPECTED, _params())
        return set(cursor.fetchall())


def assert_exact(service_id):
    assert stored() == recomputed()
    for by in breakdowns.ACTIVITY_DIMENSIONS:
        assert breakdowns.recovery_by_activities(service_id, YEAR)[by] == (
            breakdowns.recovery_by_activity(service_id, YEAR, by=by)
        )


def test_a_session_during_the_episode_adds_its_activity_and_reopening_removes_it(clinician, person):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    episode = EpisodeFactory(service_user=person, recovered=True)  # 5 Jan to 2 Mar 2026
    ref = referral(person, walk, status="attending", sent=date(2026, 1, 10), answered_days=1)
    services.episodes_recompute([episode])  # the referral row above skipped the services
    assert stored() == set()

    attendance_record(referral=ref, session_date=date(2026, 1, 20), status="attended", by=clinician)
    assert stored() == {(episode.pk, walk.pk, person.service_id, date(2026, 3, 2), True)}
    assert_exact(person.service_id)

    services.episode_reopen(episode=episode, by=clinician)  # open: no ended pairs
    assert stored() == set()
    services.episode_end(
        episode=Episode.objects.get(pk=episode.pk), ended_on=date(2026, 3, 2),
        ending_reason="46", by=clinician,
    )  # fmt: skip
    assert {row[3] for row in stored()} == {date(2026, 3, 2)}  # ended again: back
    assert_exact(person.service_id)


def test_sessions_outside_the_episode_or_self_reported_add_nothing(clinician, person):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    swim = ActivityFactory(takes_referrals=True, referral_email="swim@example.org.uk")
    episode = EpisodeFactory(service_user=person, recovered=True)
    early = referral(person, walk, status="attending", sent=date(2025, 11, 1))
    Attendance.objects.create(referral=early, session_date=date(2025, 12, 1), status="attended")
    said = referral(person, swim, status="attending", sent=date(2026, 1, 10))
    Attendance.objects.create(
        referral=said, session_date=date(2026, 1, 20), status="attended", source="self_reported"
    )
    services.episodes_recompute([episode])
    assert stored() == set()
    assert_exact(person.service_id)


def test_the_nightly_reconcile_puts_right_what_bypassed_the_services(clinician, person):
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    episode = EpisodeFactory(service_user=person, recovered=True)
    ref = referral(person, walk, status="attending", sent=date(2026, 1, 10))
    services.episodes_recompute([episode])
    assert episode_activities_reconcile() == 0

    # Sessions and an outcome written in SQL, neither through the services.
    Attendance.objects.create(referral=ref, session_date=date(2026, 1, 20), status="attended")
    other = ServiceUserFactory(service=clinician.organisation)
    gone = EpisodeFactory(service_user=other, recovered=True)
    gone_ref = referral(other, walk, status="attending", sent=date(2026, 1, 10))
    Attendance.objects.create(referral=gone_ref, session_date=date(2026, 1, 21), status="attended")
    services.episodes_recompute([gone])
    Episode.objects.filter(pk=gone.pk).update(recovered=False)
    assert stored() != recomputed()

    episode_facts_reconcile()  # the beat job's work (02:30)
    assert stored() == recomputed()
    assert len(stored()) == 2
    assert episode_activities_reconcile() == 0
    assert_exact(person.service_id)


def test_the_tables_count_an_episode_once_per_provider(clinician, person):
    """Two activities of one provider: two pairs, one episode under the provider."""
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    run = ActivityFactory(takes_referrals=True, referral_email="run@example.org.uk")
    run.provider = walk.provider
    run.save()
    episode = EpisodeFactory(service_user=person, recovered=True)
    for activity in (walk, run):
        ref = referral(person, activity, status="attending", sent=date(2026, 1, 10))
        Attendance.objects.create(referral=ref, session_date=date(2026, 1, 20), status="attended")
    services.episodes_recompute([episode])
    assert len(stored()) == 2
    rows = breakdowns.recovery_by_activities(person.service_id, YEAR)[breakdowns.BY_PROVIDER]
    assert [(row.label, row.ended) for row in rows] == [(walk.provider.name, 1)]
    assert_exact(person.service_id)
