"""The service lead's dashboard figures, computed from recorded data: the cast in
tests/dashboards/conftest.py, whose every figure is worked out by hand below."""

from datetime import date

import pytest

from outcomes.dashboards.lead import comparison as cmp
from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.periods import Period

YEAR_2025 = Period(start=date(2025, 1, 1), end=date(2025, 12, 31))

pytestmark = pytest.mark.usefixtures("frozen")


def test_referral_funnel(cast_of_people):
    funnel = sel.referral_funnel(cast_of_people.pk, YEAR_2025)
    assert (funnel.referred, funnel.accepted, funnel.started, funnel.completed) == (4, 3, 2, 1)
    assert (funnel.signposted, funnel.taken_up) == (1, 1)
    assert funnel.uptake.value == 0.5
    # First attended sessions 7 (A) and 3 (B) days after sending.
    assert funnel.median_days_to_first_session == 5.0
    assert funnel.first_sessions == 2


def test_nudge_answer_rate(cast_of_people):
    nudges = sel.nudge_answer_rates(cast_of_people.pk, YEAR_2025)
    assert (nudges.sent, nudges.answered) == (3, 1)
    assert nudges.by_answer["I went"] == 1
    assert nudges.by_answer["Stop these messages"] == 0


def test_outcomes_by_uptake_of_activity(cast_of_people):
    comparison = cmp.outcome_comparison(cast_of_people.pk, YEAR_2025)
    took_up, self_reported, not_taken_up, not_referred = comparison.groups
    assert (took_up.key, took_up.ended, took_up.finished) == ("took_up", 2, 2)
    assert took_up.label == "Took up activity (recorded by the provider)"
    assert took_up.rates["recovered"] == sel.Rate(1, 2)
    assert took_up.rates["reliably_recovered"] == sel.Rate(1, 2)
    assert took_up.rates["reliably_improved"] == sel.Rate(1, 2)
    assert took_up.rates["reliably_deteriorated"] == sel.Rate(0, 2)
    assert took_up.phq9_change.value == pytest.approx(-5.5)  # -10 and -1
    assert took_up.gad7_change.value == pytest.approx(-4.0)  # -8 and 0
    assert took_up.phq9_change.count == 2
    assert took_up.phq9_change.sd == pytest.approx(40.5**0.5)  # sample SD of -10 and -1
    assert took_up.left_out == {"fewer_sessions": 0, "no_pair": 0, "not_case": 0}
    assert took_up.still_in_treatment == 0

    assert (self_reported.key, self_reported.ended) == ("self_reported", 0)

    assert (not_taken_up.ended, not_taken_up.finished) == (1, 1)
    assert not_taken_up.rates["recovered"] == sel.Rate(1, 1)
    assert not_taken_up.rates["reliably_recovered"] == sel.Rate(1, 1)

    # D finished and deteriorated; E had one session, so is in no denominator. H (open, a
    # draft referral only) and J (ended in 2026) are still in treatment at the period's end.
    assert (not_referred.ended, not_referred.finished) == (2, 1)
    assert not_referred.rates["recovered"] == sel.Rate(0, 1)
    assert not_referred.rates["reliably_improved"] == sel.Rate(0, 1)
    assert not_referred.rates["reliably_deteriorated"] == sel.Rate(1, 1)
    assert not_referred.phq9_change.value == pytest.approx(6.0)
    assert not_referred.left_out == {"fewer_sessions": 1, "no_pair": 0, "not_case": 0}
    assert not_referred.still_in_treatment == 2
    assert all(group.rates["recovered"].too_few for group in (took_up, not_referred))

    # The comparison pools C and D: 1 of 2 recovered, as among those who took up.
    pooled = comparison.comparison
    assert (pooled.ended, pooled.finished, pooled.still_in_treatment) == (3, 2, 2)
    assert pooled.rates["recovered"] == sel.Rate(1, 2)
    assert pooled.phq9_change.value == pytest.approx((-8 + 6) / 2)  # C -8, D +6
    assert pooled.left_out["fewer_sessions"] == 1
    difference = comparison.difference("recovered")
    assert difference.value == 0.0
    low, high = difference.interval
    assert low == pytest.approx(-high)  # 1/2 against 1/2: symmetric about nothing


def test_equity_compares_referred_and_took_up_with_the_caseload(cast_of_people):
    equity = equity_sel.equity(cast_of_people.pk, YEAR_2025)
    # A-H (H through their open episode); not I (ended 2024), J is open during 2025.
    # F's signposting marked taken up is their word only: self-reported, not took up.
    assert (equity.caseload, equity.referred, equity.took_up) == (9, 5, 2)
    assert equity.self_reported == 1
    gender = {row.label: row for row in equity.dimensions["gender"]}
    assert (gender["Female"].caseload, gender["Female"].referred, gender["Female"].took_up) == (
        2,
        2,
        2,
    )
    assert (gender["Male"].caseload, gender["Male"].referred, gender["Male"].took_up) == (1, 1, 0)
    assert gender["Not recorded"].caseload == 6
    assert gender["Female"].caseload_share == pytest.approx(2 / 9)
    assert gender["Female"].referred_share == pytest.approx(2 / 5)
    assert gender["Female"].took_up_share == pytest.approx(2 / 2)
    assert gender["Male"].uptake_rate == sel.Rate(0, 1)
    ages = {row.label: row.caseload for row in equity.dimensions["age_band"]}
    assert ages == {"35 to 44": 1, "Not recorded": 8}  # A is 35 on 31 December 2025
    ethnic = {row.label: row.caseload for row in equity.dimensions["ethnic_group"]}
    assert ethnic == {"White": 1, "Asian or Asian British": 1, "Not recorded": 7}
    disability = [(row.label, row.caseload) for row in equity.dimensions["disability"]]
    assert disability == [("Yes", 1), ("No", 1), ("Not recorded", 7)]
    steps = {row.label: row.caseload for row in equity.dimensions["step"]}
    assert steps["Step 2: low intensity"] == 2


def test_providers_and_activity_types(cast_of_people):
    providers = sel.referral_performance(cast_of_people.pk, YEAR_2025, by=sel.BY_PROVIDER)
    walks, pool = providers
    assert (walks.label, walks.referred, walks.accepted, walks.started, walks.completed) == (
        "Riverside Walks",
        3,
        3,
        2,
        1,
    )
    assert walks.median_reply_days == pytest.approx(2.0)  # 2, 1 and 4 days
    assert walks.completion == sel.Rate(1, 2)
    assert (pool.label, pool.referred, pool.accepted, pool.started) == ("Hillside Pool", 1, 0, 0)
    assert pool.acceptance.value == 0
    types = sel.referral_performance(cast_of_people.pk, YEAR_2025, by=sel.BY_ACTIVITY_TYPE)
    assert [(row.label, row.referred) for row in types] == [("Walking", 3), ("Swimming", 1)]


def test_the_comparison_reads_the_stored_group_in_one_query(cast_of_people):
    """No working out of uptake from referrals on each request: one grouped query over
    episodes, whatever the number of referrals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cmp.outcome_comparison(cast_of_people.pk, YEAR_2025)
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "activity_group" in sql and "referrals_" not in sql
