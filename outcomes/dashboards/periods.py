"""The dashboards' period filter (a GET form) and the service lead's targets form."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from talkingmoves.forms import NHSDateField, NHSForm
from talkingmoves.forms.layout import Field, Layout

DATE_PARAMS = [f"{name}-{part}" for name in ("start", "end") for part in ("day", "month", "year")]


@dataclass(frozen=True)
class Period:
    """Inclusive dates; `starts_at` / `ends_before` bound timestamps in local time."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def query(self) -> str:
        parts = {"start": self.start, "end": self.end}
        return "&".join(
            f"{name}-{part}={getattr(value, part)}"
            for name, value in parts.items()
            for part in ("day", "month", "year")
        )

    def __str__(self):
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def default_period(today: date | None = None) -> Period:
    """The last 12 months, ending today."""
    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return Period(start=year_ago + timedelta(days=1), end=today)


EARLIEST_YEAR = 2000  # before any data this service could hold


class PeriodForm(NHSForm):
    submit_text = "Show figures"

    start = NHSDateField(label="From", error_name="Start date", help_text="For example, 1 4 2026")
    end = NHSDateField(label="To", error_name="End date", help_text="For example, 31 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field("start"), Field("end"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        latest = timezone.localdate().year + 1
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
    def period(self) -> Period:
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])


def period_form(params, today: date | None = None) -> PeriodForm:
    """Bound when any date part was sent (so a half-typed date is an error, kept as typed);
    otherwise unbound, showing the default 12 months."""
    if any(name in params for name in DATE_PARAMS):
        return PeriodForm(params)
    default = default_period(today)
    return PeriodForm(initial={"start": default.start, "end": default.end})


def chosen_period(form: PeriodForm, today: date | None = None) -> Period | None:
    """The period to show, or None when the dates entered are not valid."""
    if not form.is_bound:
        return default_period(today)
    return form.period if form.is_valid() else None
