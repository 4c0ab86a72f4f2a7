"""The dashboard's outcome figures from the episode facts are the figures the raw episodes
give, for every kind of period, down to the small-number suppression in the downloads."""

from datetime import date

import pytest

from outcomes.dashboards.lead import comparison as cmp
from outcomes.dashboards.lead import outcome_tables as tables
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.lead.measures import completeness, engagement, waits
from outcomes.dashboards.lead.selectors import targets_for
from outcomes.dashboards.periods import Period, financial_year, month, parse_period, quarter
from outcomes.dashboards.tables import SUPPRESSED
from referrals.models import Attendance
from tests.dashboards.lead_cast import attended, referral
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")

PERIODS = [
    financial_year(2024),
    financial_year(2025),
    *(quarter(2025, number) for number in (1, 2, 3, 4)),
    parse_period("2025/26 Q3"),
    month(2025, 6),
    month(2025, 7),
    month(2026, 1),
    Period(date(2025, 1, 1), date(2025, 12, 31)),  # custom: a calendar year
    Period(date(2025, 6, 15), date(2025, 10, 30)),  # custom: days inside months
    Period(date(2025, 7, 31), date(2025, 7, 31)),  # custom: one day
]


def _tables(comparison):
    return [
        tables.recovery_table(comparison),
        tables.difference_table(comparison),
        tables.outcome_change_table(comparison),
    ]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.name or f"{p.start}-{p.end}")
def test_facts_give_the_raw_figures(more_people, period):
    from_facts = cmp.outcome_comparison(more_people.pk, period)
    raw = cmp.outcome_comparison_raw(more_people.pk, period)
    assert from_facts == raw
    # ... and so the same published tables, counts rounded and small ones hidden.
    for facts_table, raw_table in zip(_tables(from_facts), _tables(raw), strict=True):
        assert facts_table.csv_bytes() == raw_table.csv_bytes()
    targets = targets_for(more_people.pk)
    assert (
        tables.outcome_rates_table(from_facts, targets).csv_bytes()
        == tables.outcome_rates_table(raw, targets).csv_bytes()
    )


def test_the_cast_year_is_counted_and_suppressed_alike(cast_of_people):
    """The hand-worked cast: small groups whose rates the downloads must hide."""
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    from_facts = cmp.outcome_comparison(cast_of_people.pk, year)
    assert from_facts == cmp.outcome_comparison_raw(cast_of_people.pk, year)
    assert from_facts.activity.ended == 2
    csv = tables.recovery_table(from_facts).csv_bytes().decode("utf-8-sig")
    assert SUPPRESSED in csv


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.name or f"{p.start}-{p.end}")
def test_activity_wait_from_the_referral_column_is_the_raw_wait(more_people, period):
    """From the referral's first session on the register, as from its attendance rows; a
    self-reported session first (before the register's) changes neither."""
    person = ServiceUserFactory(service=more_people)
    walk = ActivityFactory(takes_referrals=True, referral_email="said@example.org.uk")
    ref = referral(person, walk, status="attending", sent=date(2025, 6, 2))
    Attendance.objects.create(
        referral=ref, session_date=date(2025, 6, 9), status="attended", source="self_reported"
    )
    attended(ref, date(2025, 6, 20))
    assert waits.activity_wait(more_people.pk, period) == waits.activity_wait_raw(
        more_people.pk, period
    )


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.name or f"{p.start}-{p.end}")
def test_treatment_wait_from_the_treated_index_is_the_raw_wait(more_people, period):
    assert waits.treatment_wait(more_people.pk, period) == waits.treatment_wait_raw(
        more_people.pk, period
    )
    assert waits.treatment_wait(more_people.pk, period) == waits.treatment_wait_from_episodes(
        more_people.pk, period
    )


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.name or f"{p.start}-{p.end}")
def test_uptake_and_completeness_from_the_facts_are_the_raw_figures(more_people, period):
    service = more_people.pk
    assert engagement.activity_uptake(service, period) == engagement.activity_uptake_raw(
        service, period
    )
    assert completeness.paired_completeness(
        service, period
    ) == completeness.paired_completeness_raw(service, period)


@pytest.mark.parametrize("by", [sel.BY_PROVIDER, sel.BY_ACTIVITY_TYPE])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.name or f"{p.start}-{p.end}")
def test_the_rows_shown_have_the_medians_of_the_whole_table(more_people, period, by):
    """Medians are worked out for the rows shown only: the same as in the full download."""
    every = sel.referral_performance(more_people.pk, period, by=by)
    assert sel.referral_performance(more_people.pk, period, by=by, limit=1) == every[:1]
    assert sel.referral_performance(more_people.pk, period, by=by, limit=5) == every[:5]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.name or f"{p.start}-{p.end}")
def test_long_gaps_from_one_join_are_the_raw_long_gaps(more_people, period):
    assert waits.long_gaps(more_people.pk, period) == waits.long_gaps_raw(more_people.pk, period)
