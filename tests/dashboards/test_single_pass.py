"""The referrals section's counts in one pass, both activity recovery tables from one join,
and equity in one pass give exactly the figures of the queries they replace (kept as the
reference), for every kind of period, with signposting, self-reported attendance and
sessions at the period's edges in the data."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.dashboards.lead import referral_counts
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.lead.measures import breakdowns
from outcomes.dashboards.periods import Period
from referrals.models import Attendance
from referrals.pathway.services import first_attended_refresh
from tests.dashboards.lead_cast import attended, referral
from tests.dashboards.test_facts_equal_raw import PERIODS
from tests.providers.factories import ActivityFactory, activity_type
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
EDGES = [
    Period(date(2025, 6, 2), date(2025, 6, 2)),  # the day a referral was sent
    Period(date(2025, 6, 3), date(2025, 6, 20)),  # the day after, to the session
    Period(date(2025, 5, 1), date(2025, 6, 1)),  # ends the day before
]


@pytest.fixture
def edges(more_people):
    """A signposting taken up, a session only self-reported, two activities of one
    provider, and a session on the last day of a period."""
    swim = ActivityFactory(
        takes_referrals=True,
        referral_email="edge@example.org.uk",
        activity_type=activity_type("Swimming"),
    )
    gym = ActivityFactory(takes_referrals=True, referral_email="gym@example.org.uk")
    gym.provider = swim.provider
    gym.save()
    person = ServiceUserFactory(service=more_people, gender="1", step=3)
    said = referral(person, swim, status="attending", sent=date(2025, 6, 2))
    Attendance.objects.create(
        referral=said, session_date=date(2025, 6, 9), status="attended", source="self_reported"
    )
    first_attended_refresh(said)
    gone = referral(person, gym, status="completed", sent=date(2025, 6, 2), answered_days=3)
    attended(gone, date(2025, 6, 20))
    referral(person, swim, kind="signpost", status="taken_up", sent=date(2025, 6, 2))
    return more_people


ALL = [*PERIODS, *EDGES]
IDS = [p.name or f"{p.start}-{p.end}" for p in ALL]


@pytest.mark.parametrize("period", ALL, ids=IDS)
def test_one_pass_gives_the_funnel_and_tables(edges, period):
    counts = referral_counts.referral_counts(edges.pk, period)
    assert counts.funnel() == sel.referral_funnel(edges.pk, period)
    for by in (sel.BY_PROVIDER, sel.BY_ACTIVITY_TYPE):
        every = sel.referral_performance(edges.pk, period, by=by)
        assert counts.performance(by=by) == every
        for limit in (1, 2, 21):
            assert counts.performance(by=by, limit=limit) == every[:limit]


def test_the_referrals_section_counts_referrals_once(edges):
    """Funnel, providers and types from one counting pass (the medians apart, from their
    own bounded queries): over the counts by month the database keeps (ADR 021) for a
    financial year, without reading a referral."""
    year = PERIODS[1]
    with CaptureQueriesContext(connection) as captured:
        figures = dashboard_figures.compute(edges.pk, year, ("funnel", "providers", "types"))
    sqls = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in sqls if "referrals_referral" in sql]
    assert len([sql for sql in sqls if "outcomes_referralmonthfact" in sql]) == 1
    assert figures.funnel == sel.referral_funnel(edges.pk, year)
    assert figures.providers == sel.referral_performance(
        edges.pk, year, by=sel.BY_PROVIDER, limit=dashboard_figures.ROWS_SHOWN + 1
    )


@pytest.mark.parametrize("period", ALL, ids=IDS)
def test_one_join_gives_both_activity_recovery_tables(edges, period):
    both = breakdowns.recovery_by_activities(edges.pk, period)
    for by in breakdowns.ACTIVITY_DIMENSIONS:
        assert both[by] == breakdowns.recovery_by_activity(edges.pk, period, by=by)


@pytest.mark.parametrize("period", ALL, ids=IDS)
def test_equity_in_one_pass_is_the_raw_equity(edges, period):
    assert equity_sel.equity(edges.pk, period) == equity_sel.equity_raw(edges.pk, period)
