"""Dashboard arithmetic: the Wilson and Newcombe intervals and Student's t against published
values, rates and means that never divide by zero, small-number suppression, and CSV cells."""

import csv
import io

import pytest

from outcomes.dashboards.tables import Column, Figure, Table, suppress
from outcomes.stats import (
    MINIMUM_TO_COMPARE,
    Difference,
    Mean,
    Rate,
    newcombe_interval,
    share,
    t_cdf,
    t_quantile,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Closed forms: 0/n has upper z²/(n+z²); n/n has lower n/(n+z²).
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson_interval_matches_published_values(successes, n, low, high):
    interval = wilson_interval(successes, n)
    assert interval[0] == pytest.approx(low, abs=5e-5)
    assert interval[1] == pytest.approx(high, abs=5e-5)


def test_wilson_interval_of_nothing_is_none_not_a_division_by_zero():
    assert wilson_interval(0, 0) is None
    assert Rate(0, 0).value is None
    assert Rate(0, 0).interval is None
    assert share(3, 0) is None


def test_wilson_interval_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_a_rate_is_too_few_to_compare_below_the_named_minimum():
    assert MINIMUM_TO_COMPARE == 30
    assert Rate(10, 29).too_few
    assert not Rate(10, 30).too_few


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "difference", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10 (hybrid
        # score, from the two Wilson intervals), examples (a) to (h).
        (56, 70, 48, 80, 0.2, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.6, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.5714, 0.0582, 0.8062),
        (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
        (0, 10, 0, 20, 0.0, -0.1611, 0.2775),
        (0, 10, 0, 10, 0.0, -0.2775, 0.2775),
        (10, 10, 0, 20, 1.0, 0.6791, 1.0),
        (10, 10, 0, 10, 1.0, 0.6075, 1.0),
    ],
)
def test_newcombe_interval_matches_published_values(x1, n1, x2, n2, difference, low, high):
    rates = Difference(Rate(x1, n1), Rate(x2, n2))
    assert rates.value == pytest.approx(difference, abs=5e-5)
    assert rates.interval[0] == pytest.approx(low, abs=5e-5)
    assert rates.interval[1] == pytest.approx(high, abs=5e-5)


def test_newcombe_interval_is_the_mirror_image_when_the_groups_swap():
    low, high = newcombe_interval(56, 70, 48, 80)
    assert newcombe_interval(48, 80, 56, 70) == pytest.approx((-high, -low))


def test_a_difference_with_an_empty_group_has_no_value_or_interval():
    assert Difference(Rate(3, 10), Rate(0, 0)).value is None
    assert Difference(Rate(3, 10), Rate(0, 0)).interval is None
    assert Difference(Rate(3, 10), Rate(40, 80)).too_few  # the first has fewer than 30
    assert not Difference(Rate(30, 40), Rate(40, 80)).too_few


@pytest.mark.parametrize(
    ("df", "t"),
    [
        # Two-sided 95% critical values of Student's t, as printed in statistical tables.
        (1, 12.7062),
        (2, 4.3027),
        (3, 3.1824),
        (4, 2.7764),
        (5, 2.5706),
        (9, 2.2622),
        (10, 2.2281),
        (19, 2.0930),
        (29, 2.0452),
        (30, 2.0423),
        (60, 2.0003),
        (120, 1.9799),
    ],
)
def test_t_quantile_matches_tables(df, t):
    assert t_quantile(0.975, df) == pytest.approx(t, abs=5e-5)
    assert t_quantile(0.025, df) == pytest.approx(-t, abs=5e-5)


def test_t_distribution_is_exact_where_it_has_a_closed_form():
    # One degree of freedom is the Cauchy distribution: P(T <= 1) = 3/4.
    assert t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-12)
    # Two: P(T <= t) = 1/2 + t / (2 sqrt(t^2 + 2)).
    assert t_cdf(1.5, 2) == pytest.approx(0.5 + 1.5 / (2 * (1.5**2 + 2) ** 0.5), abs=1e-12)
    assert t_quantile(0.5, 7) == pytest.approx(0.0, abs=1e-9)
    assert t_quantile(0.995, 5) == pytest.approx(4.0321, abs=5e-5)
    # Many degrees of freedom approach the normal distribution's 1.96.
    assert t_quantile(0.975, 100_000) == pytest.approx(1.95998, abs=5e-5)


def test_t_refuses_what_has_no_answer():
    with pytest.raises(ValueError):
        t_quantile(1.0, 5)
    with pytest.raises(ValueError):
        t_cdf(1.0, 0)


def test_mean_interval_needs_two_values_and_uses_t():
    assert Mean(value=-5.0, count=1, sd=None).interval is None
    low, high = Mean(value=-5.0, count=4, sd=2.0).interval
    # t(0.975, 3) = 3.1824; standard error 2 / sqrt(4) = 1.
    assert low == pytest.approx(-5 - 3.182446, abs=1e-6)
    assert high == pytest.approx(-5 + 3.182446, abs=1e-6)
    low, high = Mean(value=1.0, count=10, sd=3.0).interval
    assert high - 1.0 == pytest.approx(2.262157 * 3 / 10**0.5, abs=1e-6)


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, 0),
        (1, "fewer than 8"),
        (7, "fewer than 8"),
        (8, 10),
        (12, 10),
        (13, 15),
        (15, 15),
        (17, 15),
        (18, 20),
        (122, 120),
        (123, 125),
    ],
)
def test_nhs_digital_rule_suppresses_one_to_seven_and_rounds_the_rest_to_five(count, shown):
    assert suppress(count) == shown


def _csv_rows(table):
    data = table.csv_bytes()
    assert data.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_gives_numbers_and_splits_intervals():
    table = Table(
        slug="t",
        caption="T",
        columns=[
            Column("Group"),
            Column("People", "count"),
            Column("Rate", "percent"),
            Column("95% CI", "interval"),
        ],
        rows=[["A", 1234, Rate(617, 1234), Rate(617, 1234)], ["B", 0, None, None]],
    )
    rows = _csv_rows(table)
    assert rows[:3] == [
        ["Group", "People", "Rate (%)", "95% CI low", "95% CI high"],
        ["A", "1235", "50", "47", "53"],  # the count rounded; whole percents
        ["B", "0", "", "", ""],
    ]
    assert rows[3][0].startswith("To protect people's privacy")
    # The lead's own page shows the exact figures.
    assert table.display_rows()[0][1:] == [
        {"text": "1,234", "numeric": True, "heading": "People"},
        {"text": "50%", "numeric": True, "heading": "Rate"},
        {"text": "47% to 53%", "numeric": True, "heading": "95% CI"},
    ]
    assert table.display_rows()[1][2]["text"] == "\u2013"  # an en dash


def test_figures_from_a_suppressed_count_are_suppressed_too():
    columns = [
        Column("Group"),
        Column("Recovered", "count"),
        Column("Of", "count"),
        Column("Rate", "percent"),
        Column("95% CI", "interval"),
        Column("Difference", "points"),
        Column("Mean change", "number"),
        Column("Median", "decimal"),
    ]
    small = Rate(3, 40)  # 3 is 1 to 7: the rate would give it back
    table = Table(
        slug="t",
        caption="T",
        columns=columns,
        rows=[
            ["Small", 3, 40, small, small, Difference(Rate(20, 40), small),
             Mean(-4.0, 5, 2.0), Figure(2.5, (5,))],
            ["Large", 20, 40, Rate(20, 40), Rate(20, 40), Difference(Rate(20, 40), Rate(10, 40)),
             Mean(-4.0, 30, 2.0), Figure(2.5, (30,))],
        ],
        caveat="Observational.",
    )  # fmt: skip
    rows = _csv_rows(table)
    assert rows[0] == ["Observational."]  # the caveat comes first
    hidden = "fewer than 8"
    assert rows[2] == ["Small", hidden, "40", hidden, hidden, hidden, hidden, hidden, hidden]
    assert rows[3] == ["Large", "20", "40", "50", "35", "65", "25", "-4.0", "2.5"]
    public = Table(slug="t", caption="T", columns=columns, rows=table.rows, public=True)
    assert [cell["text"] for cell in public.display_rows()[0]][1:4] == [hidden, "40", hidden]
    # Not public: the service lead's own screen shows every figure.
    assert [cell["text"] for cell in table.display_rows()[0]][1:4] == ["3", "40", "8%"]


def test_a_breakdown_hides_its_other_parts_beside_a_hidden_one():
    """The total less the parts shown would give the hidden part back."""
    columns = [Column("Group"), Column("People", "count"), Column("Rate", "percent")]
    rows = [
        ["All", 43, Rate(16, 32)],
        ["Part A", 3, Rate(1, 3)],
        ["Part B", 40, Rate(15, 29)],
        ["Elsewhere", 12, Rate(6, 12)],  # not part of the total: shown as usual
    ]
    table = Table(slug="t", caption="T", columns=columns, rows=rows, breakdowns=[(1, 2)])
    hidden = "fewer than 8"
    assert _csv_rows(table)[1:5] == [
        ["All", "45", "50"],
        ["Part A", hidden, hidden],
        ["Part B", hidden, hidden],
        ["Elsewhere", "10", hidden],
    ]
    # The lead's own page keeps every figure.
    assert [row[1]["text"] for row in table.display_rows()] == ["43", "3", "40", "12"]


def test_counts_that_are_not_about_people_are_shown_as_they_are():
    table = Table(
        slug="t",
        caption="T",
        columns=[Column("Type"), Column("Listings", "count", disclosive=False)],
        rows=[["Yoga", 3]],
        public=True,
    )
    assert table.display_rows()[0][1]["text"] == "3"
    assert _csv_rows(table)[1] == ["Yoga", "3"]


def test_csv_text_cannot_run_as_a_formula():
    table = Table(slug="t", caption="T", columns=[Column("Provider")], rows=[["=HYPERLINK(1)"]])
    assert _csv_rows(table)[1] == ["'=HYPERLINK(1)"]
