"""Working hours for risk-alert escalation: Monday to Friday, 09:00-17:00, Europe/London.
England and Wales bank holidays are not working days."""

from datetime import UTC, datetime, timedelta

import pytest

from outcomes.working_hours import LONDON, WORKING_DAY_HOURS, add_working_hours


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2026-03-02 10:00", 4, "2026-03-02 14:00"),  # Monday morning, same day
        ("2026-03-02 13:00", 4, "2026-03-02 17:00"),  # ends exactly at closing: that day
        ("2026-03-02 15:30", 4, "2026-03-03 11:30"),  # runs over into Tuesday
        ("2026-03-06 16:00", 4, "2026-03-09 12:00"),  # Friday 16:00 -> Monday 12:00
        ("2026-03-07 11:00", 4, "2026-03-09 13:00"),  # raised on a Saturday
        ("2026-03-08 23:59", 1, "2026-03-09 10:00"),  # Sunday night
        ("2026-03-02 07:00", 4, "2026-03-02 13:00"),  # before opening
        ("2026-03-02 17:00", 1, "2026-03-03 10:00"),  # at closing: nothing left that day
        ("2026-03-02 20:00", 4, "2026-03-03 13:00"),  # evening
        ("2026-03-09 12:00", WORKING_DAY_HOURS, "2026-03-10 12:00"),  # again next working day
        ("2026-03-06 12:00", WORKING_DAY_HOURS, "2026-03-09 12:00"),  # ... across a weekend
        ("2026-03-02 09:00", 40, "2026-03-06 17:00"),  # a working week
        ("2026-03-02 10:00", 0.5, "2026-03-02 10:30"),
    ],
)
def test_add_working_hours(start, hours, expected):
    assert add_working_hours(london(start), hours) == london(expected)


def test_wall_clock_time_is_kept_across_the_change_to_summer_time():
    # Clocks go forward on Sunday 29 March 2026: Friday 16:00 GMT -> Monday 12:00 BST.
    start = datetime(2026, 3, 27, 16, 0, tzinfo=UTC)
    due = add_working_hours(start, 4)
    assert due == london("2026-03-30 12:00")
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)


def test_and_back_to_winter_time():
    # Clocks go back on Sunday 25 October 2026: Friday 16:00 BST -> Monday 12:00 GMT.
    start = london("2026-10-23 16:00")
    assert add_working_hours(start, 4).astimezone(UTC) == datetime(2026, 10, 26, 12, tzinfo=UTC)


def test_a_utc_start_is_read_as_london_time():
    # 08:30 UTC on 2 July 2026 is 09:30 BST.
    start = datetime(2026, 7, 2, 8, 30, tzinfo=UTC)
    assert add_working_hours(start, 1) == london("2026-07-02 10:30")


def test_naive_or_negative_input_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(datetime(2026, 3, 2, 10), 4)
    with pytest.raises(ValueError, match="negative"):
        add_working_hours(london("2026-03-02 10:00"), -1)


def test_never_earlier_than_the_start_and_monotonic():
    start = london("2026-03-06 08:00")
    previous = start
    for quarter in range(0, 200):
        due = add_working_hours(start, quarter / 4)
        assert due >= previous
        assert due - previous <= timedelta(days=3, minutes=15)
        previous = due


# --- Bank holidays (England and Wales) are not working days ------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Christmas Eve 2026 is a Thursday; 25 Dec a Friday; Boxing Day (Saturday) moves to
        # Monday 28 Dec: 2 hours on the 24th, the other 2 on Tuesday 29 December.
        ("2026-12-24 15:00", 4, "2026-12-29 11:00"),
        ("2026-12-29 11:00", WORKING_DAY_HOURS, "2026-12-30 11:00"),
        ("2026-12-31 16:00", 4, "2027-01-04 12:00"),  # New Year's Day on a Friday
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        ("2026-04-02 16:00", 4, "2026-04-07 12:00"),
        ("2026-04-03 10:00", 4, "2026-04-07 13:00"),  # raised on Good Friday itself
        ("2026-04-02 10:00", WORKING_DAY_HOURS, "2026-04-07 10:00"),  # review due
        ("2026-05-01 16:00", 4, "2026-05-05 12:00"),  # early May bank holiday
    ],
)
def test_bank_holidays_are_not_working_days(start, hours, expected):
    assert add_working_hours(london(start), hours) == london(expected)
