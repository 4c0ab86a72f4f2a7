"""The dashboards' period: the last 12 months (the default), a financial year ("2025/26",
April to March), a quarter of one ("2025/26 Q3" is October to December 2025), a month
("2025-10") or dates of the lead's choosing, picked in one GET form."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from talkingmoves.forms import NHSDateField, NHSForm
from talkingmoves.forms.layout import Field, Layout

DATE_PARAMS = [f"{name}-{part}" for name in ("start", "end") for part in ("day", "month", "year")]
CUSTOM = "custom"
FIRST_MONTH = 4  # NHS financial years start in April
YEARS_LISTED = 4  # this financial year and the three before it, in the picker
MONTHS_LISTED = 24


@dataclass(frozen=True)
class Period:
    """Inclusive dates; `starts_at` / `ends_before` bound timestamps in local time. `name` is
    the picker's value for a named period ("2025/26 Q3"); it does not change the figures."""

    start: date
    end: date
    name: str = field(default="", compare=False)

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def query(self) -> str:
        if self.name:
            return urlencode({"period": self.name})
        parts = {"start": self.start, "end": self.end}
        return "&".join(
            f"{name}-{part}={getattr(value, part)}"
            for name, value in parts.items()
            for part in ("day", "month", "year")
        )

    def __str__(self):
        dates = f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"
        return f"{period_label(self.name)} ({dates})" if self.name else dates


def default_period(today: date | None = None) -> Period:
    """The last 12 months, ending today."""
    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return Period(start=year_ago + timedelta(days=1), end=today)


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def financial_year_of(day: date) -> int:
    """The calendar year a day's financial year starts in."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def financial_year(start_year: int) -> Period:
    return Period(
        date(start_year, FIRST_MONTH, 1),
        date(start_year + 1, FIRST_MONTH - 1, 31),
        name=f"{start_year}/{(start_year + 1) % 100:02d}",
    )


def quarter(start_year: int, number: int) -> Period:
    """Quarter 1 is April to June; quarter 4 is January to March of the next calendar year."""
    first = FIRST_MONTH + 3 * (number - 1)
    year, month = start_year + (first - 1) // 12, (first - 1) % 12 + 1
    last_year, last_month = year + (month + 1) // 12, (month + 1) % 12 + 1
    return Period(
        date(year, month, 1),
        _month_end(last_year, last_month),
        name=f"{start_year}/{(start_year + 1) % 100:02d} Q{number}",
    )


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _month_end(year, number), name=f"{year}-{number:02d}")


def is_whole_months(period: Period) -> bool:
    """From the 1st of a month to the last day of a month (one or many)."""
    return period.start.day == 1 and period.end == _month_end(period.end.year, period.end.month)


def last_whole_months(today: date | None = None, count: int = 12) -> Period:
    """The `count` whole months before the current one."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    months_back = end.year * 12 + end.month - count  # zero-based month number of the start
    return Period(date(months_back // 12, months_back % 12 + 1, 1), end)


def export_period(period: Period | None, today: date | None = None) -> Period | None:
    """The period a figure that leaves the lead's screen (a CSV) is for: whole months only,
    so that two downloads a day apart cannot be differenced to reveal a person (ADR 013).
    The rolling default becomes the last 12 whole months; other dates that are not whole
    months get no download (None)."""
    if period is None:
        return None
    if is_whole_months(period):
        return period
    if period == default_period(today):
        return last_whole_months(today)
    return None


FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})(?: Q([1-4]))?")
MONTH = re.compile(r"(\d{4})-(\d{2})")


def covering_months(period: Period) -> Period:
    """The whole months the period touches, from the first of its first month to the end
    of its last."""
    after_end = (period.end.replace(day=1) + timedelta(days=32)).replace(day=1)
    return Period(start=period.start.replace(day=1), end=after_end - timedelta(days=1))


def parse_period(text: str) -> Period:
    """A named period from its picker value; ValueError when it is not one."""
    text = " ".join(text.split()).upper()
    if found := FINANCIAL_YEAR.fullmatch(text):
        start_year, next_year, number = found.groups()
        if (int(start_year) + 1) % 100 != int(next_year):
            raise ValueError("a financial year runs into the next calendar year")
        if number:
            return quarter(int(start_year), int(number))
        return financial_year(int(start_year))
    if (found := MONTH.fullmatch(text)) and 1 <= int(found.group(2)) <= 12:
        return month(int(found.group(1)), int(found.group(2)))
    raise ValueError("not a financial year, quarter or month")


def period_label(name: str) -> str:
    """ "2025/26 Q3" stays as it is (how leads say it); "2025-10" becomes "October 2025"."""
    return f"{parse_period(name).start:%B %Y}" if MONTH.fullmatch(name) else name


def period_choices(today: date | None = None) -> list:
    """The picker's options, grouped: recent financial years, their quarters, recent months."""
    today = today or timezone.localdate()
    this_year = financial_year_of(today)
    years = [financial_year(this_year - n) for n in range(YEARS_LISTED)]
    quarters = [
        quarter(year, number)
        for year in range(this_year, this_year - YEARS_LISTED, -1)
        for number in range(4, 0, -1)
        if quarter(year, number).start <= today
    ]
    months = []
    year, number = today.year, today.month
    for _ in range(MONTHS_LISTED):
        months.append(month(year, number))
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)

    def options(periods):
        return [(p.name, period_label(p.name)) for p in periods]

    return [
        ("", "Last 12 months"),
        ("Financial year (April to March)", options(years)),
        ("Quarter", options(quarters)),
        ("Month", options(months)),
        (CUSTOM, "Dates I choose"),
    ]


EARLIEST_YEAR = 2000  # before any data this service could hold
CHOOSE = "Choose a period from the list"


class PeriodForm(NHSForm):
    submit_text = "Show figures"

    period = forms.CharField(
        label="Period", required=False, widget=forms.Select(), error_messages={"invalid": CHOOSE}
    )
    start = NHSDateField(
        label="From",
        error_name="Start date",
        required=False,
        help_text="For dates you choose. For example, 1 4 2026",
    )
    end = NHSDateField(
        label="To",
        error_name="End date",
        required=False,
        help_text="For example, 31 3 2027",
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["period"].widget.choices = period_choices(self.today)
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field("period"), Field("start"), Field("end"))

    def _custom(self) -> bool:
        # Dates typed with the list left at its default (or links made before the picker,
        # which carry dates only) are dates the lead chose.
        chosen = self.data.get("period", "")
        return chosen == CUSTOM or (not chosen and any(self.data.get(n) for n in DATE_PARAMS))

    def clean(self):
        cleaned = super().clean()
        named = cleaned.get("period") or ""
        if named and named != CUSTOM:
            try:
                cleaned["named"] = parse_period(named)
            except ValueError:
                self.add_error("period", CHOOSE)
            return cleaned
        if not self._custom():
            cleaned["named"] = default_period(self.today)
            return cleaned
        for name in ("start", "end"):
            label = "start" if name == "start" else "end"
            if name not in self.errors and cleaned.get(name) is None:
                self.add_error(name, f"Enter the {label} date")
        start, end = cleaned.get("start"), cleaned.get("end")
        latest = self.today.year + 1
        for name, day in (("start", start), ("end", end)):
            if day and not EARLIEST_YEAR <= day.year <= latest:
                label = "Start date" if name == "start" else "End date"
                self.add_error(name, f"{label} must be between {EARLIEST_YEAR} and {latest}")
                cleaned[name] = None
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        return cleaned

    @property
    def chosen(self) -> Period:
        if named := self.cleaned_data.get("named"):
            return named
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])


def period_form(params, today: date | None = None) -> PeriodForm:
    """Bound when a period or any date part was sent (so a half-typed date is an error, kept
    as typed); otherwise unbound, showing the default 12 months."""
    if "period" in params or any(name in params for name in DATE_PARAMS):
        return PeriodForm(params, today=today)
    return PeriodForm(today=today)


def chosen_period(form: PeriodForm, today: date | None = None) -> Period | None:
    """The period to show, or None when what was entered is not valid."""
    if not form.is_bound:
        return default_period(today or form.today)
    return form.chosen if form.is_valid() else None
