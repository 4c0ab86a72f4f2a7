"""The lead dashboard's plan figures (issue 17 item 6) from the dated plans in plan_cast.py,
every figure worked out by hand; the tables' suppression and rounding; the intervals against
their formulas."""

import math
from datetime import date

import pytest

from outcomes.dashboards.lead import plan_tables
from outcomes.dashboards.lead.measures import plans
from outcomes.dashboards.periods import Period
from outcomes.dashboards.tables import SUPPRESSED
from outcomes.stats import Mean, t_quantile
from tests.dashboards.plan_cast import Q3, person, plan, plan_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
PERIOD = Period(*Q3)
Z = 1.959963984540054


def wilson(x, n):
    """Wilson's score interval, written out from its formula."""
    p = x / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z / (1 + Z**2 / n) * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return centre - half, centre + half


@pytest.fixture
def cast(clinician, other_clinician):
    return plan_cast(clinician, other_clinician)


def test_figures_for_everyone(cast, clinician):
    figures = plans.plan_figures(clinician.organisation_id, PERIOD)
    row = figures.all
    # A (6 October), C (1 December) and D (two plans, 1 and 20 October); B and H were sent
    # before Q3, E's plan is a draft, the outsider is another service's.
    assert row.people == 3
    # Weeks ended in Q3: A 6, B 4, C 4, D's first 2 (4 more after it was replaced), D's
    # second 6, H 1 = 23; answered: A 4, B 2, C 2, D 1, H 1 = 10.
    assert (row.asked, row.answered) == (23, 10)
    # Ended in Q3: A, B, H and both of D's; D's first was replaced, D's second has no answer
    # for its last week; A (150 >= 150) and H (210 >= 150) reached their goal, B did not.
    assert (row.ended, row.goal_counted, row.reached) == (5, 3, 2)
    assert row.left_out == {
        "drafts": 1,
        "after_replaced": 4,
        "replaced": 1,
        "no_answer": 1,
        "no_start": 1,  # D's second plan
        "no_measure": 1,  # H: the only measure is after the plan's last day
    }
    # A +60, B +20: mean 40, sd sqrt(800), t with 1 degree of freedom.
    change = row.minutes_change
    assert (change.count, change.value) == (2, pytest.approx(40))
    half = 12.706204736174707 * math.sqrt(800) / math.sqrt(2)
    assert change.interval == pytest.approx((40 - half, 40 + half))
    assert row.response.interval == pytest.approx(wilson(10, 23))
    assert row.goal.interval == pytest.approx(wilson(2, 3))


def test_figures_by_group(cast, clinician):
    groups = plans.plan_figures(clinician.organisation_id, PERIOD).groups
    gender = {row.label: row for row in groups["gender"]}
    assert set(gender) == {"Female", "Male"}
    female, male = gender["Female"], gender["Male"]
    # Female: A, B, E (draft), H. Male: C, D.
    assert (female.people, female.asked, female.answered) == (1, 11, 7)
    assert (female.ended, female.goal_counted, female.reached) == (3, 3, 2)
    assert female.left_out["drafts"] == 1
    assert female.minutes_change.value == pytest.approx(40)
    assert (male.people, male.asked, male.answered) == (2, 12, 3)
    assert (male.ended, male.goal_counted) == (2, 0)
    assert male.goal.value is None
    # Age on 31 December 2025: A and H 35, C and D 40, B 67; E has no date of birth.
    ages = {row.label: row for row in groups["age_band"]}
    assert [row.label for row in groups["age_band"]] == ["35 to 44", "65 and over", "Not recorded"]
    assert ages["35 to 44"].asked == 6 + 4 + 8 + 1
    assert ages["65 and over"].asked == 4
    assert ages["Not recorded"].left_out["drafts"] == 1
    # Every dimension adds up to everyone.
    for dimension in plans.DIMENSIONS:
        assert sum(row.asked for row in groups[dimension]) == 23, dimension
        assert sum(row.people for row in groups[dimension]) == 3, dimension
        assert sum(row.reached for row in groups[dimension]) == 2, dimension


def test_period_boundaries(clinician, other_clinician):
    """A week counts in the period its last day falls in, and only once it is over."""
    someone = person(clinician)
    # Weeks end 30 September (before October), 7 October, ... 4 November (the last).
    plan(someone, starts=date(2025, 9, 24), start_minutes=10, answers={1: (3, 10)})
    october = plans.plan_figures(clinician.organisation_id, Period(date(2025, 10, 1),
                                                                   date(2025, 10, 31)))  # fmt: skip
    assert (october.all.asked, october.all.answered, october.all.ended) == (4, 0, 0)
    assert october.all.people == 0  # sent in September
    september = plans.plan_figures(
        clinician.organisation_id, Period(date(2025, 9, 1), date(2025, 9, 30))
    )
    assert (september.all.people, september.all.asked, september.all.answered) == (1, 1, 1)
    november = plans.plan_figures(
        clinician.organisation_id, Period(date(2025, 11, 1), date(2025, 11, 30))
    )
    assert (november.all.asked, november.all.ended) == (1, 1)
    # Today (2 March 2026) a plan's week ending today is not over: not yet asked.
    plan(someone, starts=date(2026, 2, 24), answers={1: (3, 10)})
    march = plans.plan_figures(
        clinician.organisation_id, Period(date(2026, 3, 1), date(2026, 3, 31))
    )
    assert (march.all.asked, march.all.people) == (0, 0)
    february = plans.plan_figures(
        clinician.organisation_id, Period(date(2026, 2, 1), date(2026, 2, 28))
    )
    assert (february.all.people, february.all.asked) == (1, 0)


def test_an_empty_period(cast, clinician):
    figures = plans.plan_figures(clinician.organisation_id, Period(date(2023, 1, 1),
                                                                   date(2023, 12, 31)))  # fmt: skip
    assert figures.is_empty
    assert all(not rows for rows in figures.groups.values())
    assert plan_tables.check_ins_table(figures).rows[0][1:4] == [0, 0, 0]


def _figures(**counts) -> plans.PlanFigures:
    """Two groups of one dimension (step of care) and everyone, by hand."""
    rows = {label: plans.PlanRow(label=label, **values) for label, values in counts.items()}
    total = plans.PlanRow(
        label=plans.ALL,
        **{
            name: sum(getattr(row, name) for row in rows.values())
            for name in ("people", "asked", "answered", "ended", "reached", "goal_counted")
        },
        minutes_change=Mean(value=10.0, count=40, sd=5.0),
        left_out=dict.fromkeys(plans.LEFT_OUT, 0),
    )
    groups = {dimension: [] for dimension in plans.DIMENSIONS}
    groups["step"] = [
        plans.PlanRow(**{**row.__dict__, "left_out": dict.fromkeys(plans.LEFT_OUT, 0)})
        for row in rows.values()
    ]
    return plans.PlanFigures(all=total, groups=groups)


def test_the_csv_suppresses_1_to_7_and_rounds_the_rest():
    figures = _figures(
        **{
            "Step 2": {"people": 8, "asked": 32, "answered": 13},
            "Step 3": {"people": 7, "asked": 28, "answered": 8},
        }
    )
    table = plan_tables.check_ins_table(figures)
    published = table.published_rows()
    everyone, step2, step3 = published
    # 15 people, 60 asked, 21 answered: rounded to the nearest 5.
    assert everyone[1] == 15 and everyone[3] == 60 and everyone[4] == 20
    # 8 is shown (rounded to 10); 7 is not, and so, beside it, neither is the 8.
    assert step3[1] == SUPPRESSED
    assert step2[1] == SUPPRESSED
    # 13 -> 15, 8 -> 10, 32 -> 30, 28 -> 30; the rates from them are shown.
    assert (step2[3], step2[4], step3[3], step3[4]) == (30, 15, 30, 10)
    assert step2[5].numerator == 13
    # The lead's own page shows the exact figures.
    assert table.rows[2][1] == 7
    rows = table.csv_bytes().decode("utf-8-sig").splitlines()
    assert rows[0].startswith('"Check-ins are what people say')
    assert "fewer than 8" in rows[3]


def test_rates_and_means_from_a_small_count_are_hidden():
    figures = _figures(
        **{
            "Step 2": {"people": 20, "ended": 9, "reached": 3, "goal_counted": 7},
            "Step 3": {"people": 20, "ended": 20, "reached": 10, "goal_counted": 20},
        }
    )
    goals = plan_tables.goals_table(figures).published_rows()
    # 3 of 7: both counts hidden, and the share and interval worked out from them.
    assert goals[1][4:8] == [SUPPRESSED] * 4
    assert goals[2][4:8] == [SUPPRESSED] * 4  # hidden beside it
    assert goals[0][6].value == pytest.approx(13 / 27)
    minutes = plan_tables.minutes_table(figures).published_rows()
    assert minutes[0][5] is figures.all.minutes_change
    interval = figures.all.minutes_change.interval
    half = t_quantile(0.975, 39) * 5.0 / math.sqrt(40)
    assert interval == pytest.approx((10 - half, 10 + half))
    assert t_quantile(0.975, 39) == pytest.approx(2.0226909, abs=1e-6)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 10, 1), date(2025, 12, 31)),  # a quarter
        (date(2025, 4, 1), date(2026, 3, 31)),  # a financial year, past today
        (date(2025, 10, 5), date(2025, 10, 5)),  # one day: H's last week ends on it
        (date(2025, 10, 19), date(2025, 11, 16)),  # D's replacement, A's last day
        (date(2025, 3, 3), date(2026, 3, 2)),  # the last 12 months
    ],
)
def test_one_pass_equals_the_reference_queries(cast, clinician, start, end):
    """PostgreSQL's single statement (plan_counts.py) counts what the ORM queries count."""
    period = Period(start, end)
    service = clinician.organisation_id
    one_pass = plans.plan_figures(service, period, one_pass=True)
    assert one_pass == plans.plan_figures(service, period, one_pass=False)
