"""The record's "Being active" section and a plan's progress (its bar chart and table, on the
record and the plan page), written in Python: what main's outcomes/plans/_record_section.html
and _progress.html rendered, character for character (tests/pages compare both pages with
main's templates on the same data)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import join, text

_ROW = '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
_VALUE = '</dt><dd class="nhsuk-summary-list__value">'
_BUTTON = 'class="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button"'
_LABEL = 'text-anchor="middle" font-size="11" fill="#4c6272"'


def _day(value) -> str:
    """{{ value|date:"j F Y" }} of a date, or of a moment in local time."""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.strftime("%-d %B %Y")


def _bar(bar: dict, below: str) -> str:
    reported = (
        f'<rect x="{text(bar["reported_x"])}" y="{text(bar["reported_y"])}" width="14" '
        f'height="{text(bar["reported_h"])}" fill="#005eb8"/>'
        if bar["answered"]
        else ""
    )
    return (
        f'\n  <rect x="{text(bar["x"])}" y="{text(bar["planned_y"])}" width="14" '
        f'height="{text(bar["planned_h"])}" fill="#e8edee" stroke="#768692"/>\n'
        f"  {reported}\n"
        f'  <text x="{text(bar["label_x"])}" y="{below}" {_LABEL}>{text(bar["label"])}</text>\n  '
    )


def _week(row) -> str:
    days = text(row.reported_days) if row.answered else "Not answered"
    minutes = text(row.reported_minutes) if row.answered else "\u2013"  # an en dash
    return (
        f'\n  <tr><th scope="row">{text(row.week)}</th><td>{text(row.days)}</td>'
        f"<td>{text(row.planned_minutes)} ({text(row.minutes_a_day)} a day)</td>"
        f"<td>{days}</td><td>{minutes}</td></tr>\n  "
    )


def progress_html(rows: list, chart: dict) -> SafeString:
    """presenters.week_rows and presenters.chart as the chart and its table."""
    width, bottom = text(chart["width"]), text(chart["bottom"])
    below = text(chart["bottom"] + 16)
    bars = "".join(_bar(bar, below) for bar in chart["bars"])
    weeks = "".join(_week(row) for row in rows)
    return mark_safe(  # noqa: S308 -- escaped above
        '\n<figure class="nhsuk-u-margin-0 nhsuk-u-margin-bottom-4">\n'
        f'<svg viewBox="0 0 {width} {text(chart["height"])}" width="100%" class="tm-plan-chart" '
        'role="img" aria-labelledby="plan-chart-title" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">\n'
        '  <title id="plan-chart-title">Minutes a week, planned and reported. '
        "The figures are in the table.</title>\n"
        f'  <line x1="36" x2="{width}" y1="{bottom}" y2="{bottom}" stroke="#425563" '
        'stroke-width="1"/>\n'
        '  <text x="32" y="14" text-anchor="end" font-size="11" fill="#4c6272">'
        f"{text(chart['top_label'])}</text>\n"
        f'  <text x="32" y="{bottom}" text-anchor="end" font-size="11" fill="#4c6272">0</text>\n'
        f"  {bars}\n"
        "</svg>\n"
        '<figcaption class="nhsuk-body-s">Grey bars: planned minutes a week. '
        "Blue bars: what they said they did.</figcaption>\n"
        "</figure>\n"
        '<table class="nhsuk-table">\n'
        '  <caption class="nhsuk-table__caption nhsuk-table__caption--s">'
        "Planned and reported, week by week</caption>\n"
        '  <thead class="nhsuk-table__head"><tr>\n'
        '    <th scope="col">Week</th><th scope="col">Planned days</th>'
        '<th scope="col">Planned minutes</th><th scope="col">Reported days</th>'
        '<th scope="col">Reported minutes</th>\n'
        "  </tr></thead>\n"
        '  <tbody class="nhsuk-table__body">\n'
        f"  {weeks}\n"
        "  </tbody>\n"
        "</table>\n"
    )


def _conversation(conversation: dict | None) -> str:
    if not conversation:
        return "\n<p>No conversation about being active yet. It takes about three minutes.</p>\n"
    rows = (
        ("Last conversation", f"{_day(conversation['held_at'])}, {text(conversation['by'])}"),
        ("Confidence (0 to 10)", text(conversation["confidence"])),
        ("Ready", text(conversation["readiness"])),
        ("Would like to do it", text(conversation["support"])),
        ("What gets in the way", join(conversation["barriers"], ", ")),
    )
    summary = "".join(f"  {_ROW}{key}{_VALUE}{value}</dd></div>\n" for key, value in rows)
    return f'\n<dl class="nhsuk-summary-list">\n{summary}</dl>\n'


def _plan(section: dict, person) -> str:
    plan = section["plan"]
    if not plan:
        return ""
    tag = "nhsuk-tag--green" if plan.status == "sent" else "nhsuk-tag--grey"
    sent = (
        f' <span class="nhsuk-u-secondary-text-colour">on {_day(plan.sent_at)}</span>'
        if plan.sent_at
        else ""
    )
    url = text(reverse("outcomes:plan_detail", args=[plan.public_id]))
    return (
        f"\n<h3>Plan: {text(plan.get_activity_display())}, goal {text(plan.target_minutes)} "
        "minutes a week</h3>\n"
        f'<p><strong class="nhsuk-tag {tag}">{text(plan.get_status_display())}</strong>{sent} '
        f'<a href="{url}">Open the plan<span class="nhsuk-u-visually-hidden"> for '
        f"{text(person.full_name)}</span></a></p>\n"
        f"{progress_html(section['rows'], section['chart'])}\n"
    )


def _minutes(measure: tuple | None, otherwise: str) -> str:
    return f"{text(measure[1])} ({_day(measure[0])})" if measure else otherwise


def being_active_html(section: dict, person) -> SafeString:
    """presenters.record_being_active as the record's section."""
    public_id = person.public_id
    talk = reverse("outcomes:plan_conversation", args=[public_id])
    plan_new = reverse("outcomes:plan_new", args=[public_id])
    again = "Talk about it again" if section["conversation"] else "Talk about being active"
    change = "Change the plan" if section["plan"] else "Make a plan"
    start = _minutes(section["measure_start"], "Not recorded")
    latest = _minutes(section["measure_latest"], "No later record")
    return mark_safe(  # noqa: S308 -- escaped above
        '<h2 id="being-active">Being active</h2>\n'
        f"{_conversation(section['conversation'])}\n"
        '<div class="nhsuk-button-group">\n'
        f'  <a {_BUTTON} href="{text(talk)}" role="button" draggable="false">{again}</a>\n'
        f'  <a {_BUTTON} href="{text(plan_new)}" role="button" draggable="false">{change}</a>\n'
        "</div>\n"
        f"{_plan(section, person)}\n"
        '<dl class="nhsuk-summary-list">\n'
        f"  {_ROW}Active minutes a week at the start{_VALUE}{start}</dd></div>\n"
        f"  {_ROW}Latest{_VALUE}{latest}</dd></div>\n"
        "</dl>\n"
    )
