"""Dashboard arithmetic: the Wilson interval against published values, rates and means that
never divide by zero, small-number suppression, and CSV cells."""

import csv
import io

import pytest

from outcomes.dashboards.tables import Column, Table, suppress
from outcomes.stats import MINIMUM_TO_COMPARE, Mean, Rate, share, wilson_interval


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


def test_mean_interval_needs_two_values():
    assert Mean(value=-5.0, count=1, sd=None).interval is None
    low, high = Mean(value=-5.0, count=4, sd=2.0).interval
    assert low == pytest.approx(-5 - 1.959964)
    assert high == pytest.approx(-5 + 1.959964)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5), (120, 120)],
)
def test_counts_from_one_to_four_are_suppressed(count, shown):
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
        rows=[["A", 1234, 0.5, (0.2366, 0.7634)], ["B", 0, None, None]],
    )
    assert _csv_rows(table) == [
        ["Group", "People", "Rate (%)", "95% CI low", "95% CI high"],
        ["A", "1234", "50.0", "23.7", "76.3"],
        ["B", "0", "", "", ""],
    ]
    assert table.display_rows()[0][1:] == [
        {"text": "1,234", "numeric": True},
        {"text": "50%", "numeric": True},
        {"text": "24% to 76%", "numeric": True},
    ]
    assert table.display_rows()[1][2]["text"] == "\u2013"  # an en dash


def test_csv_text_cannot_run_as_a_formula():
    table = Table(slug="t", caption="T", columns=[Column("Provider")], rows=[["=HYPERLINK(1)"]])
    assert _csv_rows(table)[1] == ["'=HYPERLINK(1)"]
