"""The record's consent rows, screening cards and details, written in Python: what their loops
in referrals/records/record.html rendered, character for character (tests/pages compare the
page with main's template on the same data). Each consent row had two URL tags and a CSRF
tag; each detail a lookup per cell."""

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import text

_ANY = "00000000-0000-0000-0000-000000000000"
_SMALL = (
    'class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" '
    'data-module="nhsuk-button" type="submit"'
)


def _csrf_input(csrf_token) -> str:
    """{% csrf_token %}."""
    if not csrf_token or csrf_token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{text(csrf_token)}">'


def consent_rows_html(rows: list[dict], public_id, csrf_token) -> SafeString:
    """presenters.consents as the summary list's rows."""
    csrf = _csrf_input(csrf_token)
    html = []
    for row in rows:
        given = row["given"]
        change = "withdraw" if given else "record"
        action = text(reverse("referrals:consent", args=[public_id, row["consent"], change]))
        name = text(row["label"])
        button = (
            f'Withdraw<span class="nhsuk-u-visually-hidden"> consent to {name}</span>'
            if given
            else f'Record consent<span class="nhsuk-u-visually-hidden"> to {name}</span>'
        )
        html.append(
            '\n  <div class="nhsuk-summary-list__row">\n'
            f'    <dt class="nhsuk-summary-list__key">To {name}</dt>\n'
            f'    <dd class="nhsuk-summary-list__value">{text(row["state"])}</dd>\n'
            '    <dd class="nhsuk-summary-list__actions">\n'
            f'      <form method="post" action="{action}" novalidate>\n'
            f"        {csrf}\n"
            "        \n"
            f"        <button {_SMALL}>{button}</button>\n"
            "        \n"
            "      </form>\n"
            "    </dd>\n"
            "  </div>\n  "
        )
    return mark_safe("".join(html))  # noqa: S308 -- escaped above


def _screening(item: dict, resolve_url: str) -> str:
    when = text(item["when"])
    yes = ""
    if item["yes_answers"]:
        questions = "".join(f"<li>{text(question)}</li>" for question in item["yes_answers"])
        yes = f"\n    <p>Answered yes to:</p>\n    <ul>{questions}</ul>\n    "
    agreed = ""
    if item["resolution"]:
        agreed = f"<p>Agreed: {text(item['resolution'])}</p>"
        note = item["screening"].resolution_note
        if note:
            agreed += f"<p>{linebreaksbr(note, autoescape=True)}</p>"
    resolve = ""
    if item["needs_resolution"]:
        url = resolve_url.replace(_ANY, str(item["screening"].public_id))
        resolve = (
            f'<p><a href="{url}">Record what was agreed<span class="nhsuk-u-visually-hidden"> '
            f"about the screening on {when}</span></a></p>"
        )
    return (
        '\n<div class="nhsuk-card">\n'
        '  <div class="nhsuk-card__content">\n'
        f'    <h3 class="nhsuk-card__heading nhsuk-heading-s">{when}</h3>\n'
        f"    <p>Recorded by {text(item['by'])}: "
        f'<strong class="nhsuk-tag {text(item["outcome_css"])}">{text(item["outcome"])}</strong>'
        "</p>\n"
        f"    {yes}\n"
        f"    {agreed}\n"
        f"    {resolve}\n"
        "  </div>\n"
        "</div>\n"
    )


def screening_cards_html(screenings: list[dict], public_id) -> SafeString:
    """presenters.screening_summary dicts as cards, or the empty note."""
    if not screenings:
        add = text(reverse("referrals:screening_add", args=[public_id]))
        return mark_safe(  # noqa: S308 -- escaped above
            f'\n<p>No screening yet. <a href="{add}">Add a PAR-Q+ screening</a>.</p>\n'
        )
    resolve_url = text(reverse("referrals:screening_resolve", args=[public_id, _ANY]))
    return mark_safe("".join(_screening(item, resolve_url) for item in screenings))  # noqa: S308


def detail_rows_html(details: list[tuple[str, str]]) -> SafeString:
    """presenters.details as the summary list's rows."""
    return mark_safe(  # noqa: S308 -- escaped above
        "".join(
            '\n  <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">'
            f'{text(key)}</dt><dd class="nhsuk-summary-list__value">{text(value)}</dd></div>\n  '
            for key, value in details
        )
    )
