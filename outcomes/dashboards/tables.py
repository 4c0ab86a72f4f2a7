"""Tables: one definition each, rendered as an HTML table and as CSV from the same rows.

Cells hold raw values (counts, proportions from 0 to 1, intervals); a column's kind says how
to show them. HTML shows "45%" and "30% to 61%"; CSV gives numbers a spreadsheet can use.
"""

import csv
import io
from dataclasses import dataclass, field

from outcomes.stats import Mean, Rate
from providers.csv_io.reading import escape_cell

SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"
NOT_APPLICABLE = "\u2013"  # an en dash, for "no figure"
TOO_FEW = "Too few to compare"


def suppress(count: int) -> int | str:
    """Counts from 1 to 4 are shown as "fewer than 5" (0 is safe to show, and so is 5+)."""
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else count


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"  # text, count, percent, interval, number, change_interval, decimal

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    slug: str
    caption: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""

    def display_rows(self) -> list[list[dict]]:
        return [
            [
                {"text": _display(value, column.kind), "numeric": column.numeric}
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    def csv_bytes(self) -> bytes:
        """UTF-8 with a byte order mark (so Excel reads it as UTF-8); text cells are made
        safe from running as formulas (provider names are typed by other organisations)."""
        out = io.StringIO()
        writer = csv.writer(out)
        headings = []
        for column in self.columns:
            if column.kind in ("interval", "change_interval"):
                headings += [f"{column.heading} low", f"{column.heading} high"]
            elif column.kind == "percent":
                headings.append(f"{column.heading} (%)")
            else:
                headings.append(column.heading)
        writer.writerow(headings)
        for row in self.rows:
            cells = []
            for value, column in zip(row, self.columns, strict=True):
                cells += _csv(value, column.kind)
            writer.writerow(cells)
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _percent(value: float) -> str:
    return f"{round(100 * value)}%"


def _display(value, kind: str) -> str:
    if value is None or value == "":
        return NOT_APPLICABLE
    if kind == "percent":
        return _percent(value)
    if kind == "interval":
        return f"{_percent(value[0])} to {_percent(value[1])}"
    if kind == "change_interval":
        return f"{value[0]:+.1f} to {value[1]:+.1f}"
    if kind == "number":
        return f"{value:+.1f}"
    if kind == "decimal":
        return f"{value:.1f}"
    if kind == "count" and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _csv(value, kind: str) -> list:
    if kind in ("interval", "change_interval"):
        if value is None:
            return ["", ""]
        scale = 100 if kind == "interval" else 1
        return [round(scale * value[0], 1), round(scale * value[1], 1)]
    if value is None:
        return [""]
    if kind == "percent":
        return [round(100 * value, 1)]
    if kind in ("number", "decimal"):
        return [round(value, 1)]
    return [escape_cell(value) if isinstance(value, str) else value]


def rate_cells(rate: Rate) -> list:
    """Numerator, denominator, rate, interval, note: the columns every rate has."""
    return [
        rate.numerator,
        rate.denominator,
        rate.value,
        rate.interval,
        TOO_FEW if rate.too_few else "",
    ]


def rate_columns(numerator: str, denominator: str, rate: str) -> list[Column]:
    return [
        Column(numerator, "count"),
        Column(denominator, "count"),
        Column(rate, "percent"),
        Column("95% confidence interval", "interval"),
        Column("Note"),
    ]


def mean_cells(mean: Mean) -> list:
    return [mean.count, mean.value, mean.interval, TOO_FEW if mean.too_few else ""]
