"""The record's "Being active" section: the plan with planned against reported as a chart and
its table, and the weekly-minutes measure at the start and latest, in the same number of
queries however many weeks were answered."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Measure
from outcomes.plans.services import check_in_record
from tests.outcomes.factories import EpisodeFactory
from tests.outcomes.plans.conftest import make_plan
from tests.referrals.factories import ServiceUserFactory


def _minutes(episode, on, total, by):
    Measure.objects.create(
        episode=episode,
        kind="activity_minutes",
        taken_on=on,
        moderate_minutes=total,
        vigorous_minutes=0,
        total=total,
        recorded_by=by,
        source="clinician",
    )


def test_the_section_shows_the_measure_at_the_start_and_latest(client_for, clinician, person):
    episode = EpisodeFactory(service_user=person, created_by=clinician)
    _minutes(episode, date(2026, 1, 12), 20, clinician)
    _minutes(episode, date(2026, 2, 23), 75, clinician)
    make_plan(person, clinician)
    page = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    text = page.content.decode()
    assert "20 (12 January 2026)" in text and "75 (23 February 2026)" in text
    assert 'aria-labelledby="plan-chart-title"' in text
    assert "Planned and reported, week by week" in text
    assert '<a class="nhsuk-contents-list__link" href="#being-active">Being active</a>' in text


def test_record_queries_do_not_grow_with_weeks_answered(client_for, clinician, person):
    few = make_plan(person, clinician)
    check_in_record(plan=few, week=1, days_done=3, minutes_a_day=10)
    other = ServiceUserFactory(
        service=person.service,
        assigned_clinician=clinician,
        consent_email_at=person.consent_email_at,
    )
    many = make_plan(
        other,
        clinician,
        pairs=[(10, 3), (10, 4), (15, 4), (15, 5), (20, 5), (25, 5), (30, 5), (30, 5)],
    )
    for week in range(1, 9):
        check_in_record(plan=many, week=week, days_done=4, minutes_a_day=20)
    client = client_for(clinician)
    counts = []
    for someone in (person, other):
        client.get(reverse("referrals:record", args=[someone.public_id]))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("referrals:record", args=[someone.public_id]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_section_offers_the_conversation_and_a_plan(client_for, clinician, person):
    text = (
        client_for(clinician)
        .get(reverse("referrals:record", args=[person.public_id]))
        .content.decode()
    )
    assert "No conversation about being active yet" in text
    assert reverse("outcomes:plan_conversation", args=[person.public_id]) in text
    assert reverse("outcomes:plan_new", args=[person.public_id]) in text


def test_subject_access_includes_the_plan_and_answers(clinician, person):
    from referrals import hooks

    plan = make_plan(person, clinician)
    check_in_record(plan=plan, week=1, days_done=2, minutes_a_day=10)
    export = hooks.subject_access.merged(service_user=person)
    assert export["activity_plans"][0]["check_ins"] == [
        {"week": 1, "days_done": 2, "minutes_a_day": 10}
    ]
    assert len(export["activity_plans"][0]["steps"]) == 6
