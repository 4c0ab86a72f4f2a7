"""Working hours for risk-alert escalation: Monday to Friday, 09:00 to 17:00, Europe/London
wall-clock time (so a deadline keeps its clock time across the change to and from British
Summer Time).

England and Wales bank holidays are not working days (talkingmoves.core.bank_holidays, a
GOV.UK-format calendar kept in the repository): an alert raised on Christmas Eve afternoon
escalates after the holidays, with the hours left over. Out-of-hours cover is the deploying
organisation's (hazard log ACT-03).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from talkingmoves.core.bank_holidays import is_bank_holiday

LONDON = ZoneInfo("Europe/London")
OPENS = time(9, 0)
CLOSES = time(17, 0)
WORKING_DAY_HOURS = 8  # OPENS to CLOSES: "again each working day" adds this many hours


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LONDON)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` working hours after `start`. Time outside working hours does not
    count: from Friday 16:00, four working hours end on Monday at 12:00. A deadline that
    lands exactly on 17:00 is 17:00 that day, not 09:00 the next."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = timedelta(hours=hours)
    moment = start.astimezone(LONDON)
    day = moment.date()
    while True:
        if is_working_day(day):
            begin = max(moment, _at(day, OPENS))
            closes = _at(day, CLOSES)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
        moment = _at(day, OPENS)
