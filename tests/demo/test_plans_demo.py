"""The demo lead sees plan figures: seed_demo adds a year of plans that ended, the same every
time, once."""

from django.core.management import call_command

from outcomes.dashboards.lead import sections
from outcomes.dashboards.lead.measures.plans import plan_figures
from outcomes.dashboards.periods import default_period
from outcomes.models import ActivityPlan
from talkingmoves.accounts.models import User


def test_the_demo_lead_sees_plan_figures(db):
    call_command("seed_demo")
    lead = User.objects.get(email="lead@demo.test")
    figures = plan_figures(lead.organisation_id, default_period())
    row = figures.all
    assert row.people >= 10
    assert 0 < row.answered < row.asked
    assert 0 < row.reached < row.goal_counted
    assert row.minutes_change.count >= 5 and row.minutes_change.interval is not None
    plans = ActivityPlan.objects.count()
    call_command("seed_demo")
    assert ActivityPlan.objects.count() == plans
    section = sections.section_page("plans", lead.organisation_id, default_period())
    assert not section["plans"].is_empty
    assert section["goals_chart"] is not None
