"""England and Wales bank holidays, read from the GOV.UK-format file in `data/` (see its
README for provenance). Working-hours clocks skip these days; past the file's last year
nothing is known, so those days count as working days and the release check warns first."""

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

CALENDAR = Path(__file__).resolve().parent / "data" / "bank-holidays.json"
DIVISION = "england-and-wales"
WARN_BEFORE = timedelta(days=183)  # about six months before the calendar runs out


@cache
def bank_holidays() -> frozenset[date]:
    events = json.loads(CALENDAR.read_text(encoding="utf-8"))[DIVISION]["events"]
    return frozenset(date.fromisoformat(event["date"]) for event in events)


def is_bank_holiday(day: date) -> bool:
    return day in bank_holidays()


def calendar_ends() -> date:
    """The last day the calendar covers: 31 December of its last year."""
    return date(max(bank_holidays()).year, 12, 31)


def calendar_warning(today: date) -> str:
    """What the release check says about the calendar on `today`, or "" while it is fine."""
    ends = calendar_ends()
    if today > ends:
        return (
            f"The bank holiday calendar ended on {ends:%d %B %Y}: bank holidays now count "
            "as working days for risk-alert escalation."
        )
    if today >= ends - WARN_BEFORE:
        return (
            f"The bank holiday calendar ends on {ends:%d %B %Y}: add the next years before "
            "then, or bank holidays will count as working days for risk-alert escalation."
        )
    return ""
