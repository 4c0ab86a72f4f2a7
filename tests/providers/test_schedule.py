from datetime import time

import pytest

from providers.schedule import ScheduleError, format_weekly_times, parse_weekly_times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue 10:00-11:00", [(1, time(10), time(11))]),
        ("Thursday 6:30pm to 7:30pm", [(3, time(18, 30), time(19, 30))]),
        ("mon 9-10; wed 9.15 - 10.15", [(0, time(9), time(10)), (2, time(9, 15), time(10, 15))]),
        ("Sat 11am to 12pm", [(5, time(11), time(12))]),
        ("Fri 6 to 7pm", [(4, time(18), time(19))]),
        ("", []),
    ],
)
def test_reads_times_as_people_write_them(text, expected):
    assert parse_weekly_times(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tue 11:00-10:00", "ends before it starts"),
        ("Funday 10:00-11:00", "is not a day of the week"),
        ("Tue 25:00-26:00", "time that does not exist"),
        ("every Tuesday morning", "must be a day and times"),
    ],
)
def test_explains_what_it_could_not_read(text, message):
    with pytest.raises(ScheduleError, match=message):
        parse_weekly_times(text)


def test_format_round_trips():
    slots = parse_weekly_times("Tue 10:00-11:00; Thu 18:30-19:30")
    assert parse_weekly_times(format_weekly_times(slots)) == slots
