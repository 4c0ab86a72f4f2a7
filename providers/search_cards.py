"""The search results' cards, written in Python: what the card loop of
providers/_search_results.html rendered, character for character.

Through the template engine each card was a `{% with %}`, a dozen `{% if %}`s and filters,
every variable resolved through the page's context: about half the results' render. The
markup here is the same (tests/pages/test_search_html.py renders each search with main's
template and with this, on the same data, and compares them).
"""

from django.template.defaultfilters import capfirst, floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from talkingmoves.core import markup
from talkingmoves.vocabulary.activities import DeliveryMode

_SMALL_BUTTON = "nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
_text = markup.text
_join = markup.join


def _where(result, activity) -> str:
    venue = activity.venue
    if venue is None:
        return _text(DeliveryMode.ONLINE.label)
    where = f"{_text(venue.name)}, {_text(venue.postcode)}"
    if result.distance_km is not None:
        approximate = ", approximate" if venue.location_is_approximate else ""
        where += f" ({_text(floatformat(result.distance_km, 1))} km{approximate})"
    return where


def _next_session(result) -> str:
    if not result.next_session:
        return "Ask the provider"
    # {{ next_session|date:"l j F, H:i" }}: English day and month names, as the record's
    # dates are written (the date filter's formatter was a fifth of the cards' time).
    return _text(template_localtime(result.next_session).strftime("%A %-d %B, %H:%M"))


def _shortlist(row, activity, *, for_person, shortlist, csrf_input: str, next_path: str) -> str:
    name = _text(activity.name)
    if for_person is None and str(activity.public_id) in shortlist:
        return '\n            <p class="nhsuk-body-s">On the shortlist</p>\n          '
    if for_person is not None:
        label = f"Add to {_text(for_person.given_name)}'s shortlist"
    else:
        label = "Add to shortlist"
    return (
        f'\n          <form method="post" action="{_text(row["shortlist_url"])}">{csrf_input}\n'
        f'            <input type="hidden" name="next" value="{next_path}">\n'
        f'            <button class="{_SMALL_BUTTON}" data-module="nhsuk-button" type="submit">'
        f'{label}<span class="nhsuk-u-visually-hidden">: {name}</span></button>\n'
        "          </form>\n          "
    )


def _buttons(row, activity, for_person) -> str:
    if for_person is None:
        return ""
    hidden = (
        f'<span class="nhsuk-u-visually-hidden"> {_text(for_person.full_name)} to '
        f"{_text(activity.name)}</span>"
    )
    refer = ""
    if activity.takes_referrals:
        refer = (
            '<a class="nhsuk-button nhsuk-button--small nhsuk-u-margin-bottom-0" '
            f'data-module="nhsuk-button" href="{_text(row["refer_url"])}">Refer{hidden}</a>'
        )
    return (
        '\n          <div class="nhsuk-button-group nhsuk-u-margin-bottom-2">\n'
        f"            {refer}\n"
        f'            <a class="{_SMALL_BUTTON}" data-module="nhsuk-button" '
        f'href="{_text(row["refer_url"])}?kind=signpost">Signpost{hidden}</a>\n'
        "          </div>\n          "
    )


def card(row: dict, *, for_person, shortlist, csrf_input: str, next_path: str) -> str:
    """One result (a row the search view built) as an `<li>` card."""
    result = row["result"]
    activity = result.activity
    name = _text(activity.name)
    missing = ""
    if row["missing"]:
        missing = (
            '<p class="nhsuk-body-s"><strong class="nhsuk-tag nhsuk-tag--orange">Check access'
            f"</strong> Does not list: {_join(row['missing'], ', ')}</p>"
        )
    if activity.takes_referrals:
        takes = '<strong class="nhsuk-tag nhsuk-tag--blue">Takes referrals</strong>'
    else:
        takes = '<strong class="nhsuk-tag nhsuk-tag--grey">Signpost only</strong>'
    stale = (
        '<strong class="nhsuk-tag nhsuk-tag--orange">May be out of date</strong>'
        if row["stale"]
        else ""
    )
    replies = row["replies"]
    replied = ""
    if replies:
        accepted = f". {_text(replies.accepted_text)}" if replies.accepted_text else ""
        replied = f'<p class="nhsuk-body-s">{_text(replies.reply_text)}{accepted}</p>'
    access = _join(row["access"], ", ") or "None listed"
    keep = _shortlist(
        row,
        activity,
        for_person=for_person,
        shortlist=shortlist,
        csrf_input=csrf_input,
        next_path=next_path,
    )
    return (
        '\n      <li class="nhsuk-card">\n'
        '        <div class="nhsuk-card__content">\n'
        '          <h3 class="nhsuk-card__heading nhsuk-heading-s">'
        f'<a href="{_text(row["detail_url"])}">{name}</a></h3>\n'
        '          <p class="nhsuk-body-s nhsuk-u-margin-bottom-2">'
        f"{_text(activity.provider.name)}</p>\n"
        '          <p class="nhsuk-body-s nhsuk-u-margin-bottom-2"><span class="nhsuk-u-visually-'
        f'hidden">Why it matches: </span><strong>{_join(result.why, " · ")}</strong></p>\n'
        '          <dl class="nhsuk-summary-list nhsuk-summary-list--no-border '
        'nhsuk-u-margin-bottom-2">\n'
        f"{_summary_row('Where', _where(result, activity))}"
        f"{_summary_row('Next session', _next_session(result))}"
        f"{_summary_row('Cost', _text(row['cost']))}"
        f"{_summary_row('Access', access)}"
        "          </dl>\n"
        f"          {missing}\n"
        '          <p class="nhsuk-body-s">\n'
        f"            {takes}\n"
        f"            {stale}\n"
        f"            {_text(capfirst(row['checked']))}\n"
        "          </p>\n"
        f"          {replied}\n"
        f"          {_buttons(row, activity, for_person)}\n"
        f"          {keep}\n"
        "        </div>\n"
        "      </li>\n      "
    )


def _summary_row(key: str, value: str) -> str:
    return (
        '            <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
        f'{key}</dt><dd class="nhsuk-summary-list__value">{value}</dd></div>\n'
    )


def cards(rows, *, for_person, shortlist, csrf_input: str, next_path: str) -> SafeString:
    html = "".join(
        card(
            row,
            for_person=for_person,
            shortlist=shortlist,
            csrf_input=csrf_input,
            next_path=next_path,
        )
        for row in rows
    )
    return mark_safe(html)  # noqa: S308 -- every value in it is escaped above
