"""The record's measures and appointments table rows, written in Python: what the row loops
of templates/outcomes/_record_section.html rendered, character for character (tests/pages
compare the record with main's template on the same data). A person's measures are the
longest table on the record."""

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import text

_ANY = "00000000-0000-0000-0000-000000000000"
_ROW = '\n        <tr role="row" class="nhsuk-table__row">\n'
_END = "\n        </tr>\n        "
_CELL = (
    '          <td role="cell" class="nhsuk-table__cell">'
    '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'
)


def _measure(row: dict, url: str) -> str:
    when = text(row["when"])
    cell = (
        f'<a href="{text(url.replace(_ANY, str(row["measure"].public_id)))}">{text(row["name"])}'
        f'<span class="nhsuk-u-visually-hidden"> on {when}</span></a>'
    )
    if row["self_completed"]:
        cell += '<br><strong class="nhsuk-tag nhsuk-tag--grey">Self-completed</strong>'
    if row["arrived_late"]:
        cell += '<br><strong class="nhsuk-tag nhsuk-tag--orange">After the episode ended</strong>'
    return (
        f"{_ROW}{_CELL}Date </span>{when}</td>\n"
        f"{_CELL}Measure </span>{cell}</td>\n"
        f"{_CELL}Score </span>{text(row['score'])}</td>\n"
        f"{_CELL}Band </span>{text(row['band'])}</td>{_END}"
    )


def _appointment(row: dict) -> str:
    return (
        f"{_ROW}{_CELL}Date </span>{text(row['when'])}</td>\n"
        f"{_CELL}Type </span>{text(row['kind'])}</td>\n"
        f"{_CELL}Attendance </span>{text(row['attendance'])}</td>{_END}"
    )


def measure_rows_html(rows) -> SafeString:
    """outcomes.presenters.measure_row dicts as `<tr>`s."""
    # One reverse() for the rows, each with its measure's id in place of _ANY.
    url = reverse("outcomes:measure_detail", args=[_ANY])
    return mark_safe("".join(_measure(row, url) for row in rows))  # noqa: S308 -- escaped above


def appointment_rows_html(rows) -> SafeString:
    """outcomes.presenters.appointment_row dicts as `<tr>`s."""
    return mark_safe("".join(_appointment(row) for row in rows))  # noqa: S308 -- escaped above
