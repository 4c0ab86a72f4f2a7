"""The caseload table's rows, written in Python: what the row loop of
referrals/records/caseload.html rendered, character for character (tests/pages compare the
page with main's template on the same data). 25 rows of five cells each through the template
engine were a large part of the page's render."""

from django.template.defaultfilters import capfirst
from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import text

_CELL = '          <td role="cell" class="nhsuk-table__cell">\n'
_HEADING = '            <span class="nhsuk-table-responsive__heading" aria-hidden="true">'


def _name(row: dict, mine: bool) -> str:
    person = row["person"]
    cell = f'<a href="{text(row["record_url"])}">{text(person.full_name)}</a>\n            '
    if not mine:
        clinician = person.assigned_clinician
        cell += f'<br><span class="nhsuk-body-s">{text(clinician or "Not assigned")}</span>'
    cell += "\n            "
    if row["needs_attention"]:
        cell += '<br><strong class="nhsuk-tag nhsuk-tag--red">Needs attention</strong>'
    cell += "\n            "
    if row["risk_flag"]:
        cell += '<br><strong class="nhsuk-tag nhsuk-tag--red">Risk flag: review today</strong>'
    return cell


def _latest(row: dict) -> str:
    status = row["status"]
    if not status:
        return "No referral yet"
    cell = f'<strong class="nhsuk-tag {text(status.css)}">{text(status.text)}</strong>'
    if row["sent"]:
        cell += f'<br><span class="nhsuk-body-s">{text(capfirst(row["sent"]))}</span>'
    return cell


def _tasks(row: dict) -> str:
    count = row["open_tasks"]
    if not count:
        return "0"
    tasks = "task" if count == 1 else "tasks"
    return (
        f'<a href="{text(row["tasks_url"])}">{text(count)}<span class="nhsuk-u-visually-hidden">'
        f" open {tasks} for {text(row['person'].full_name)}</span></a>"
    )


def row_html(row: dict, *, mine: bool) -> str:
    """One caseload row (referrals.records.presenters.caseload_row) as a `<tr>`."""
    return (
        '\n        <tr role="row" class="nhsuk-table__row">\n'
        f"{_CELL}{_HEADING}Name </span>\n"
        f"            {_name(row, mine)}\n"
        "          </td>\n"
        f"{_CELL}{_HEADING}NHS number </span>\n"
        f"            {text(row['nhs_number'] or 'Not recorded')}\n"
        "          </td>\n"
        f"{_CELL}{_HEADING}Latest referral </span>\n"
        f"            {_latest(row)}\n"
        "          </td>\n"
        f"{_CELL}{_HEADING}Last event </span>\n"
        f"            {text(row['last_event'] or 'None yet')}\n"
        "          </td>\n"
        f"{_CELL}{_HEADING}Open tasks </span>\n"
        f"            {_tasks(row)}\n"
        "          </td>\n"
        "        </tr>\n        "
    )


def rows_html(rows, *, mine: bool) -> SafeString:
    return mark_safe("".join(row_html(row, mine=mine) for row in rows))  # noqa: S308 -- escaped above
