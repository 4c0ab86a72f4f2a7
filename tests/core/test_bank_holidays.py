"""The bank holiday calendar (talkingmoves/core/data/bank-holidays.json) follows the England
and Wales rule every year, with Easter computed independently; the release check warns six
months before it runs out and once it has."""

from datetime import date, timedelta

import pytest
import time_machine
from dateutil.easter import easter
from django.core import checks

from talkingmoves.core import bank_holidays

YEARS = range(2025, 2029)


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def expected_holidays(year: int) -> set[date]:
    """The statutory rule GOV.UK publishes by: a holiday at a weekend moves to the next
    weekday not already a holiday (so Christmas on a Saturday gives Monday and Tuesday)."""
    christmas = _weekday_on_or_after(date(year, 12, 25))
    boxing = _weekday_on_or_after(max(date(year, 12, 26), christmas + timedelta(days=1)))
    first_may = date(year, 5, 1)
    return {
        _weekday_on_or_after(date(year, 1, 1)),
        easter(year) - timedelta(days=2),  # Good Friday
        easter(year) + timedelta(days=1),  # Easter Monday
        first_may + timedelta(days=(7 - first_may.weekday()) % 7),  # first Monday in May
        _last_monday(year, 5),
        _last_monday(year, 8),
        christmas,
        boxing,
    }


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_its_eight_bank_holidays_by_the_rule(year):
    in_file = {day for day in bank_holidays.bank_holidays() if day.year == year}
    assert len(in_file) == 8
    assert in_file == expected_holidays(year)


def test_easter_and_christmas_substitutes_as_published():
    holidays = bank_holidays.bank_holidays()
    assert {date(2026, 4, 3), date(2026, 4, 6), date(2027, 3, 26), date(2027, 3, 29)} <= holidays
    # Boxing Day 2026 is a Saturday; Christmas 2027 a Saturday; New Year 2028 a Saturday.
    assert {date(2026, 12, 28), date(2027, 12, 27), date(2027, 12, 28)} <= holidays
    assert date(2028, 1, 3) in holidays and date(2026, 12, 26) not in holidays


def test_the_calendar_covers_2025_to_2028():
    assert min(bank_holidays.bank_holidays()).year == 2025
    assert bank_holidays.calendar_ends() == date(2028, 12, 31)


def _calendar_messages() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks(include_deployment_checks=True) if "calendar" in m.msg]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-12-05", []),
        ("2028-06-30", []),
        ("2028-07-01", ["core.W002"]),
        ("2028-12-31", ["core.W002"]),
        ("2029-01-01", ["core.W003"]),
    ],
)
def test_the_release_check_warns_six_months_before_the_calendar_runs_out(today, expected):
    with time_machine.travel(f"{today} 12:00Z", tick=False):
        assert [message.id for message in _calendar_messages()] == expected


def test_the_warning_says_what_happens_and_how_to_fix_it():
    with time_machine.travel("2029-01-02 12:00Z", tick=False):
        [message] = _calendar_messages()
    assert message.level == checks.WARNING  # a warning: refusing to start stops all alerts
    assert "count as working days" in message.msg
    assert "GOV.UK" in message.hint
