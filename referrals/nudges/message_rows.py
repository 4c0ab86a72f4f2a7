"""The record's messages list items, written in Python: what the row loop of
templates/nudges/_record_messages.html rendered, character for character (tests/pages compare
the record with main's template on the same data). Up to 50 messages, each with loops of
reasons and answers."""

from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import text

_SMALL = '<p class="nhsuk-body-s nhsuk-u-margin-bottom-1">'


def _row(row: dict) -> str:
    reasons = "".join(f"{_SMALL}{text(reason)}</p>" for reason in row["reasons"])
    answers = "".join(
        f'<p class="nhsuk-u-margin-bottom-1">Answered: {text(answer)}</p>'
        for answer in row["answers"]
    )
    return (
        "\n  <li>\n"
        f'    <h3 class="nhsuk-heading-xs nhsuk-u-margin-bottom-1">{text(row["title"])}</h3>\n'
        f'    <p class="nhsuk-u-margin-bottom-1"><strong class="nhsuk-tag '
        f'{text(row["status_css"])}">{text(row["status"])}</strong> '
        f'<span class="nhsuk-u-secondary-text-colour">{text(row["when"])}</span></p>\n'
        f"    {_SMALL}{text(row['to'])}</p>\n"
        f"    {reasons}\n"
        f"    {answers}\n"
        "  </li>\n  "
    )


def message_rows_html(rows) -> SafeString:
    """referrals.nudges.selectors.RecordMessages rows as `<li>`s."""
    return mark_safe("".join(_row(row) for row in rows))  # noqa: S308 -- escaped above
