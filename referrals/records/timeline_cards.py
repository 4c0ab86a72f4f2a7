"""The record's referral cards, written in Python: what the timeline loop of
referrals/records/record.html rendered, character for character (tests/pages compare the page
with main's template on the same data). Each referral's history is a loop within a loop."""

from django.template.defaultfilters import capfirst
from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import text

_ENTRY = '<br><span class="nhsuk-u-font-size-16 nhsuk-u-secondary-text-colour">'


def _card(item: dict) -> str:
    status = item["status"]
    css, label = (status.css, status.text) if status else ("", "")
    sent = (
        f'<span class="nhsuk-u-secondary-text-colour"> {text(capfirst(item["sent"]))}</span>'
        if item["sent"]
        else ""
    )
    last = f"<p>Last: {text(item['last_event'])}</p>" if item["last_event"] else ""
    entries = "".join(
        f"<li>{text(entry['text'])}{_ENTRY}{text(entry['when'])}</span></li>"
        for entry in item["entries"]
    )
    return (
        '\n<div class="nhsuk-card">\n  <div class="nhsuk-card__content">\n'
        f'    <h3 class="nhsuk-card__heading nhsuk-heading-s">{text(item["title"])}</h3>\n'
        f'    <p class="nhsuk-body-s">{text(item["provider"])}</p>\n'
        f'    <p><strong class="nhsuk-tag {text(css)}">{text(label)}</strong>{sent}</p>\n'
        f"    {last}\n"
        '    <h4 class="nhsuk-heading-xs">History, newest first</h4>\n'
        '    <ol class="nhsuk-list">\n'
        f"      {entries}\n"
        "    </ol>\n  </div>\n</div>\n"
    )


def timeline_html(timeline: list[dict]) -> SafeString:
    """referrals.records.presenters.referral_timeline dicts as cards, or the empty note."""
    if not timeline:
        return mark_safe("\n<p>No referrals yet.</p>\n")
    return mark_safe("".join(_card(item) for item in timeline))  # noqa: S308 -- escaped above
