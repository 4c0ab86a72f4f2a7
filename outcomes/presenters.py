"""Display values for the outcomes section of the record, the measure pages and the chart, so
templates hold no logic. The chart is an SVG drawn here on the server (CSP allows no inline
scripts) and always comes with a data table."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from outcomes import rules, selectors
from outcomes.models import Appointment, Episode, Measure, RiskAlert
from talkingmoves.vocabulary.questionnaires import (
    FREQUENCY_CHOICES,
    GAD7_ITEMS,
    PHQ9_ITEMS,
    WSAS_ITEMS,
)

K = Measure.Kind
FREQUENCY = {int(value): label for value, label in FREQUENCY_CHOICES}


def _day(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _yes_no(value: bool | None, none: str = "Not computable") -> str:
    return {True: "Yes", False: "No", None: none}[value]


def band(measure: Measure) -> str:
    if measure.kind == K.PHQ9:
        return rules.phq9_band(measure.total)
    if measure.kind == K.GAD7:
        return rules.gad7_band(measure.total)
    if measure.kind == K.WSAS:
        return rules.wsas_band(measure.total)
    if measure.kind == K.ACTIVITY_MINUTES:
        return rules.activity_level(measure.moderate_minutes, measure.vigorous_minutes)
    if measure.kind == K.ACTIVITY_DAYS:
        return (
            "Meets the recommendation"
            if rules.meets_activity_recommendation(measure.total)
            else "Below the recommendation"
        )
    return ""


def score_text(measure: Measure) -> str:
    if measure.kind == K.ACTIVITY_DAYS:
        return f"{measure.total} day{'s' if measure.total != 1 else ''}"
    if measure.kind == K.ACTIVITY_MINUTES:
        return (
            f"{measure.total} moderate-equivalent minutes a week "
            f"({measure.moderate_minutes} moderate, {measure.vigorous_minutes} vigorous)"
        )
    maximum = {K.PHQ9: 27, K.GAD7: 21, K.WSAS: 40}[measure.kind]
    return f"{measure.total} out of {maximum}"


def measure_row(measure: Measure) -> dict:
    return {
        **record_measure_row(measure),
        "by": str(measure.recorded_by) if measure.recorded_by_id else "The service user",
    }


def record_measure_row(measure: Measure) -> dict:
    """measure_row without who recorded it, which the record never shows: its measures are
    read without their recorders' user rows."""
    return {
        "measure": measure,
        "name": measure.get_kind_display(),
        "when": _day(measure.taken_on),
        "score": score_text(measure),
        "band": band(measure),
        "self_completed": measure.source == Measure.Source.SELF_COMPLETED,
        "arrived_late": measure.arrived_late,
    }


def measure_answers(measure: Measure) -> list[dict]:
    """Each question with its answer, for the page shown after saving."""
    if measure.kind == K.PHQ9:
        wording, labels = PHQ9_ITEMS, FREQUENCY
    elif measure.kind == K.GAD7:
        wording, labels = GAD7_ITEMS, FREQUENCY
    elif measure.kind == K.WSAS:
        wording, labels = WSAS_ITEMS, {}
    else:
        return []
    rows = []
    for n, (question, answer) in enumerate(zip(wording, measure.items, strict=True), start=1):
        text = "Not applicable" if answer is None else labels.get(answer, str(answer))
        rows.append({"number": n, "question": question, "answer": text, "score": answer})
    return rows


def appointment_row(appointment: Appointment) -> dict:
    return {
        "when": _day(appointment.on),
        "kind": appointment.get_kind_display(),
        "attendance": appointment.get_attendance_display(),
        "counts": appointment.counts_as_treatment,
    }


def episode_summary(episode: Episode) -> list[tuple[str, str]]:
    rows = [
        ("Referral received", _day(episode.referral_received_on)),
        ("Source of referral", episode.get_referral_source_display()),
        ("Step", episode.get_step_display() or "Not recorded"),
        ("Attended treatment sessions", str(episode.treatment_sessions)),
    ]
    if episode.first_phq9 is not None:
        rows.append(
            ("First PHQ-9", f"{episode.first_phq9} ({rules.phq9_band(episode.first_phq9)})")
        )
    if episode.first_gad7 is not None:
        rows.append(
            ("First GAD-7", f"{episode.first_gad7} ({rules.gad7_band(episode.first_gad7)})")
        )
    if episode.ended_on:
        rows += [
            ("Ended", _day(episode.ended_on)),
            ("Ending reason", episode.get_ending_reason_display()),
            ("Finished a course of treatment", _yes_no(episode.finished_treatment)),
        ]
        rows += outcome_rows(episode)
    return rows


def outcome_rows(episode: Episode) -> list[tuple[str, str]]:
    paired = None not in (
        episode.first_phq9,
        episode.last_phq9,
        episode.first_gad7,
        episode.last_gad7,
    )
    if not paired:
        return [("Outcome", "Not computable: PHQ-9 and GAD-7 each need a first and last score")]
    if not episode.finished_treatment:
        return [("Outcome", "Not counted: fewer than 2 attended treatment sessions")]
    not_at_caseness = "Not counted: not at caseness at the start"
    return [
        ("Change in PHQ-9", f"{episode.phq9_change:+d}"),
        ("Change in GAD-7", f"{episode.gad7_change:+d}"),
        ("At caseness at the start", _yes_no(episode.caseness_at_start)),
        ("Recovered", _yes_no(episode.recovered, not_at_caseness)),
        ("Reliably improved", _yes_no(episode.reliably_improved)),
        ("Reliably recovered", _yes_no(episode.reliably_recovered, not_at_caseness)),
        ("Reliably deteriorated", _yes_no(episode.reliably_deteriorated)),
    ]


# --- Chart -------------------------------------------------------------------------------

CHART_WIDTH = 600
CHART_HEIGHT = 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 40, 16, 12, 40


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    dash: str
    points: str
    dots: list[tuple[float, float, str]]


def _scale(value, low, high, out_low, out_high) -> float:
    if high == low:
        return (out_low + out_high) / 2
    return round(out_low + (value - low) * (out_high - out_low) / (high - low), 1)


def _chart(rows, series_spec, *, maximum: int, ticks: list[int], dates: list[date], title: str):
    plot_bottom = CHART_HEIGHT - MARGIN_BOTTOM
    plot_right = CHART_WIDTH - MARGIN_RIGHT
    first, last = dates[0].toordinal(), dates[-1].toordinal()

    def x(day: date) -> float:
        return _scale(day.toordinal(), first, last, MARGIN_LEFT + 10, plot_right - 10)

    def y(value: int) -> float:
        return _scale(value, 0, maximum, plot_bottom, MARGIN_TOP)

    series = []
    for name, kind, colour, dash in series_spec:
        values = [(row["date"], row[kind]) for row in rows if row[kind] is not None]
        if not values:
            continue
        dots = [(x(d), y(v), f"{name} {v} on {_day(d)}") for d, v in values]
        series.append(
            Series(name, colour, dash, " ".join(f"{px},{py}" for px, py, _ in dots), dots)
        )
    if not series:
        return None
    return {
        "title": title,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": MARGIN_LEFT,
        "right": plot_right,
        "bottom": plot_bottom,
        "y_ticks": [{"y": y(t), "label": t} for t in ticks],
        "x_ticks": [{"x": x(dates[0]), "label": _day(dates[0])}]
        + ([{"x": x(dates[-1]), "label": _day(dates[-1])}] if last != first else []),
        "series": series,
    }


def chart(measures: list[Measure]) -> dict | None:
    """PHQ-9 and GAD-7 on one chart (with caseness lines), active days on another, and one
    table of every date. None when there is nothing to draw."""
    by_date: dict[date, dict] = {}
    for m in measures:
        if m.kind in (K.PHQ9, K.GAD7, K.ACTIVITY_DAYS):
            row = by_date.setdefault(
                m.taken_on, {"date": m.taken_on, K.PHQ9: None, K.GAD7: None, K.ACTIVITY_DAYS: None}
            )
            row[m.kind] = m.total  # the latest that day wins (measures arrive in order)
    if not by_date:
        return None
    rows = [by_date[d] for d in sorted(by_date)]
    dates = [row["date"] for row in rows]
    scores = _chart(
        rows,
        [("PHQ-9", K.PHQ9, "#005eb8", ""), ("GAD-7", K.GAD7, "#7c2855", "6 4")],
        maximum=27,
        ticks=[0, 5, 10, 15, 20, 27],
        dates=dates,
        title="PHQ-9 and GAD-7 scores over time",
    )
    if scores:
        scores["thresholds"] = [
            {
                "y": _scale(10, 0, 27, CHART_HEIGHT - MARGIN_BOTTOM, MARGIN_TOP),
                "label": "PHQ-9 caseness 10",
            },
            {
                "y": _scale(8, 0, 27, CHART_HEIGHT - MARGIN_BOTTOM, MARGIN_TOP),
                "label": "GAD-7 caseness 8",
            },
        ]
    activity = _chart(
        rows,
        [("Active days", K.ACTIVITY_DAYS, "#007f3b", "")],
        maximum=7,
        ticks=[0, 1, 2, 3, 4, 5, 6, 7],
        dates=dates,
        title="Days active in the past week",
    )
    table = [
        {
            "when": _day(row["date"]),
            "phq9": "" if row[K.PHQ9] is None else row[K.PHQ9],
            "gad7": "" if row[K.GAD7] is None else row[K.GAD7],
            "days": "" if row[K.ACTIVITY_DAYS] is None else row[K.ACTIVITY_DAYS],
        }
        for row in rows
    ]
    return {"scores": scores, "activity": activity, "table": table}


def episode_panel(episode: Episode) -> dict:
    measures = list(episode.measures.all())  # prefetched in date order
    return {
        "episode": episode,
        "summary": episode_summary(episode),
        "appointments": [appointment_row(a) for a in episode.appointments.all()],
        "measures": [record_measure_row(m) for m in reversed(measures)],
        "chart": chart(measures),
    }


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y at %H:%M") if value else ""


def alert_row(alert: RiskAlert) -> dict:
    """Who was alerted about a flag, why, and whether they have acknowledged it."""
    nudge = alert.nudge
    return {
        "alert": alert,
        "to": alert.recipient,
        "why": alert.get_reason_display(),
        "when": _moment(alert.created_at),
        "acknowledged": (
            f"Acknowledged by {alert.acknowledged_by} on {_moment(alert.acknowledged_at)}"
            if alert.acknowledged_at
            else ""
        ),
        "not_delivered": alert.undelivered_at is not None
        or (nudge is not None and nudge.status in ("failed", "skipped")),
    }


def record_outcomes(person) -> dict:
    """The outcomes parts of the service-user record: open risk flags for the banner at the
    top, and each episode's panel. The record view has checked permission and logged."""
    episodes = selectors.episodes_for_record(person)
    return {
        "flags": [
            {
                "flag": flag,
                "row": record_measure_row(flag.measure),
                "alerts": [alert_row(alert) for alert in flag.alerts.all()],
                "review_due": _moment(flag.review_due_at) if flag.review_due_at else "",
            }
            for flag in selectors.open_risk_flags(person)
        ],
        "panels": [episode_panel(episode) for episode in episodes],
        "may_open": not any(episode.is_open for episode in episodes),
    }
