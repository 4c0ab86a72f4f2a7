"""The record's episode panels, written in Python: what the panel loop of
templates/outcomes/_record_section.html and its SVG chart (main's outcomes/_chart.html)
rendered, character for character (tests/pages compare the record with main's templates on
the same data). The charts were most of the record's template time: a tag per tick, line and
dot, each number through the template engine."""

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from outcomes.record_rows import appointment_rows_html, measure_rows_html
from talkingmoves.core.markup import text

_ANY = "00000000-0000-0000-0000-000000000000"
_OPEN = ' <strong class="nhsuk-tag nhsuk-tag--blue">Open</strong>'
_SMALL = "nhsuk-button nhsuk-button--secondary nhsuk-button--small"
_BUTTON = f'class="{_SMALL}" data-module="nhsuk-button"'


def _day(value) -> str:
    """{{ value|date:"j F Y" }}."""
    return value.strftime("%-d %B %Y") if value else ""


def _urls(public_id) -> dict[str, str]:
    """Each link a panel has, for one episode."""
    return {name: url.replace(_ANY, str(public_id)) for name, url in _episode_urls().items()}


_LINKS = ("appointment_record", "measure_request_create", "episode_end", "episode_reopen")


def _episode_urls() -> dict[str, str]:
    # One reverse() per link, each with the episode's id in place of _ANY.
    urls = {name: text(reverse(f"outcomes:{name}", args=[_ANY])) for name in _LINKS}
    for kind in ("phq9", "gad7", "wsas", "activity"):
        urls[kind] = text(reverse("outcomes:measure_record", args=[_ANY, kind]))
    return urls


def _actions(episode, urls: dict[str, str], csrf_token: str, may_open: bool) -> str:
    if episode.is_open:
        records = "".join(
            f'      <a {_BUTTON} href="{urls[kind]}" role="button" draggable="false">'
            f"Record {label}</a>\n"
            for kind, label in (
                ("phq9", "PHQ-9"),
                ("gad7", "GAD-7"),
                ("wsas", "WSAS"),
                ("activity", "activity"),
            )
        )
        return (
            '\n    <div class="nhsuk-button-group">\n'
            '      <a class="nhsuk-button nhsuk-button--small" data-module="nhsuk-button" '
            f'href="{urls["appointment_record"]}" role="button" draggable="false">'
            "Record appointment</a>\n"
            f"{records}"
            "    </div>\n"
            f'    <form method="post" action="{urls["measure_request_create"]}" novalidate>\n'
            '      <input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{text(csrf_token)}">\n'
            f'      <button {_BUTTON} type="submit">Send questionnaire link</button>\n'
            '      <p class="nhsuk-body-s">Sends a link to PHQ-9, GAD-7 and the activity question '
            "by their preferred contact. It works once, for 14 days.</p>\n"
            "    </form>\n"
            f'    <p><a href="{urls["episode_end"]}">End this episode</a></p>\n    '
        )
    if may_open:
        return (
            f'\n    <p><a href="{urls["episode_reopen"]}">Reopen this episode'
            '<span class="nhsuk-u-visually-hidden"> from '
            f"{_day(episode.referral_received_on)}</span></a></p>\n    "
        )
    return ""


def chart_svg(c: dict, chart_id: str) -> str:
    """One chart of outcomes.presenters.chart (main's outcomes/_chart.html)."""
    left, right, bottom = text(c["left"]), text(c["right"]), text(c["bottom"])
    ticks = "".join(
        f'\n  <line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#d8dde0" '
        'stroke-width="1"/>\n'
        f'  <text x="{text(c["left"] - 6)}" y="{y}" text-anchor="end" dominant-baseline="middle" '
        f'font-size="12" fill="#4c6272">{text(t["label"])}</text>\n  '
        for t in c["y_ticks"]
        for y in (text(t["y"]),)
    )
    thresholds = c.get("thresholds") or []
    lines = "".join(
        f'\n  <line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#768692" '
        'stroke-width="1" stroke-dasharray="2 3"/>\n  '
        for y in (text(t["y"]) for t in thresholds)
    )
    below = text(c["bottom"] + 20)
    x_ticks = "".join(
        f'\n  <text x="{text(t["x"])}" y="{below}" text-anchor="middle" font-size="12" '
        f'fill="#4c6272">{text(t["label"])}</text>\n  '
        for t in c["x_ticks"]
    )
    series = "".join(_series(s) for s in c["series"])
    names = "".join(
        f'<span class="nhsuk-u-margin-right-3">{"Dashed" if s.dash else "Solid"} line: '
        f"{text(s.name)}</span>"
        for s in c["series"]
    )
    dotted = "<br>Dotted lines: caseness thresholds (PHQ-9 10, GAD-7 8)" if thresholds else ""
    return (
        '\n<figure class="nhsuk-u-margin-0 nhsuk-u-margin-bottom-4">\n'
        f'<svg viewBox="0 0 {text(c["width"])} {text(c["height"])}" width="100%" role="img" '
        f'aria-labelledby="{text(chart_id)}-title" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">\n'
        f'  <title id="{text(chart_id)}-title">{text(c["title"])}. '
        "The figures are in the table.</title>\n"
        f"  {ticks}\n"
        f"  {lines}\n"
        f'  <line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#425563" '
        'stroke-width="1"/>\n'
        f"  {x_ticks}\n"
        f"  {series}\n"
        "</svg>\n"
        '<figcaption class="nhsuk-body-s">\n'
        f"  {names}\n"
        f"  {dotted}\n"
        "</figcaption>\n"
        "</figure>\n"
    )


def _series(s) -> str:
    colour = text(s.colour)
    dash = f' stroke-dasharray="{text(s.dash)}"' if s.dash else ""
    dots = "".join(
        f'<circle cx="{text(x)}" cy="{text(y)}" r="4" fill="{colour}">'
        f"<title>{text(label)}</title></circle>"
        for x, y, label in s.dots
    )
    return (
        f'\n  <polyline points="{text(s.points)}" fill="none" stroke="{colour}" '
        f'stroke-width="3"{dash}/>\n'
        f"  {dots}\n  "
    )


def _chart(chart: dict, hex_id: str) -> str:
    scores = chart_svg(chart["scores"], f"scores-{hex_id}") if chart["scores"] else ""
    activity = chart_svg(chart["activity"], f"activity-{hex_id}") if chart["activity"] else ""
    table = "".join(
        f"<tr><td>{text(row['when'])}</td><td>{text(row['phq9'])}</td>"
        f"<td>{text(row['gad7'])}</td><td>{text(row['days'])}</td></tr>"
        for row in chart["table"]
    )
    return (
        '\n    <h4 class="nhsuk-heading-s">Scores over time</h4>\n'
        '    <div class="nhsuk-grid-row">\n'
        '      <div class="nhsuk-grid-column-two-thirds">\n'
        f"        {scores}\n"
        f"        {activity}\n"
        "      </div>\n"
        '      <div class="nhsuk-grid-column-one-third">\n'
        '        <table class="nhsuk-table">\n'
        '          <caption class="nhsuk-table__caption nhsuk-table__caption--s">'
        "Scores by date</caption>\n"
        '          <thead class="nhsuk-table__head"><tr><th scope="col">Date</th>'
        '<th scope="col">PHQ-9</th><th scope="col">GAD-7</th><th scope="col">Active days</th>'
        "</tr></thead>\n"
        '          <tbody class="nhsuk-table__body">\n'
        f"            {table}\n"
        "          </tbody>\n"
        "        </table>\n"
        "      </div>\n"
        "    </div>\n    "
    )


_HEAD = '<thead role="rowgroup" class="nhsuk-table__head"><tr role="row">'
_COLUMN = '<th role="columnheader" scope="col">'


def _table(rows_html: str, columns: list[str]) -> str:
    heads = "".join(f"{_COLUMN}{column}</th>" for column in columns)
    return (
        '\n    <table class="nhsuk-table-responsive">\n'
        f"      {_HEAD}{heads}</tr></thead>\n"
        '      <tbody class="nhsuk-table__body">\n'
        f"        {rows_html}\n"
        "      </tbody>\n"
        "    </table>\n    "
    )


def _panel(panel: dict, csrf_token: str, may_open: bool) -> str:
    episode = panel["episode"]
    ended = f" to {_day(episode.ended_on)}" if episode.ended_on else _OPEN
    summary = "".join(
        '\n      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
        f'{text(key)}</dt><dd class="nhsuk-summary-list__value">{text(value)}</dd></div>\n      '
        for key, value in panel["summary"]
    )
    actions = _actions(episode, _urls(episode.public_id), csrf_token, may_open)
    chart = _chart(panel["chart"], episode.public_id.hex) if panel["chart"] else ""
    measures = (
        _table(measure_rows_html(panel["measures"]), ["Date", "Measure", "Score", "Band"])
        if panel["measures"]
        else "\n    <p>No measures recorded yet.</p>\n    "
    )
    appointments = (
        _table(appointment_rows_html(panel["appointments"]), ["Date", "Type", "Attendance"])
        if panel["appointments"]
        else "\n    <p>No appointments recorded yet.</p>\n    "
    )
    return (
        '\n\n<div class="nhsuk-card">\n'
        '  <div class="nhsuk-card__content">\n'
        '    <h3 class="nhsuk-card__heading nhsuk-heading-m">Episode from '
        f"{_day(episode.referral_received_on)}{ended}</h3>\n"
        '    <dl class="nhsuk-summary-list">\n'
        f"      {summary}\n"
        "    </dl>\n"
        f"    {actions}\n\n"
        f"    {chart}\n\n"
        '    <h4 class="nhsuk-heading-s">Measures</h4>\n'
        f"    {measures}\n\n"
        '    <h4 class="nhsuk-heading-s">Appointments</h4>\n'
        f"    {appointments}\n"
        "  </div>\n"
        "</div>\n\n"
    )


def episode_panels_html(panels: list[dict], *, may_open: bool, csrf_token: str) -> SafeString:
    """outcomes.presenters.episode_panel dicts as cards."""
    return mark_safe(  # noqa: S308 -- escaped above
        "".join(_panel(panel, csrf_token, may_open) for panel in panels)
    )
