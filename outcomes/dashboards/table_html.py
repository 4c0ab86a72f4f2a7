"""A dashboard table's body rows, written in Python: what the row loop of
templates/dashboards/_table.html rendered, character for character (tests/pages compare the
dashboards with main's template on the same data). Every dashboard view shows several
tables, and their cells through the template engine were most of its render."""

from django.utils.safestring import SafeString, mark_safe

from outcomes.dashboards.tables import Table
from talkingmoves.core.markup import text

_ROW_START = '\n      <tr class="nhsuk-table__row" role="row">\n        '
_ROW_END = "\n      </tr>\n      "
_HEADING = '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'
_ROW_HEADER = '<th scope="row" role="rowheader" class="nhsuk-table__header">'


def _cell(cell: dict) -> str:
    numeric = " nhsuk-table__cell--numeric" if cell["numeric"] else ""
    return (
        f'<td role="cell" class="nhsuk-table__cell{numeric}">'
        f"{_HEADING}{text(cell['heading'])} </span>{text(cell['text'])}</td>"
    )


def _row(row: list[dict]) -> str:
    first, *others = row
    header = f"{_ROW_HEADER}{text(first['text'])}</th>"
    return _ROW_START + header + "".join(_cell(cell) for cell in others) + _ROW_END


def table_rows(table: Table) -> SafeString:
    rows = table.display_rows()
    if not rows:
        empty = (
            '\n      <tr class="nhsuk-table__row" role="row"><td role="cell" '
            f'class="nhsuk-table__cell" colspan="{len(table.columns)}">'
            "Nothing to show for this period.</td></tr>\n      "
        )
        return mark_safe(empty)  # noqa: S308 -- no values in it
    return mark_safe("".join(_row(row) for row in rows))  # noqa: S308 -- every value escaped by text()
