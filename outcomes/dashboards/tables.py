"""Tables: one definition each, rendered as an HTML table and as CSV from the same rows.

Cells hold raw values (counts, proportions from 0 to 1, intervals); a column's kind says how
to show them. HTML shows "45%" and "30% to 61%"; CSV gives numbers a spreadsheet can use.
"""

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

from outcomes.stats import Difference, Mean, Rate
from providers.csv_io.reading import escape_cell

# NHS Digital's rule for figures about people that leave the service: counts from 1 to 7 are
# suppressed, every other count is rounded to the nearest 5, and a figure worked out from a
# suppressed count is suppressed too.
SMALLEST_SHOWN = 8
ROUND_TO = 5
SUPPRESSED = "fewer than 8"
NOT_APPLICABLE = "\u2013"  # an en dash, for "no figure"
TOO_FEW = "Too few to compare"
DISCLOSURE_NOTE = (
    "To protect people's privacy, counts from 1 to 7 are shown as “fewer than 8”, all other "
    "counts are rounded to the nearest 5, and rates, intervals and means worked out from a "
    "count of 1 to 7 are not shown. Rates and intervals are worked out from the exact counts, "
    "then shown to the nearest whole percent."
)


def is_suppressed(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def suppress(count: int) -> int | str:
    """A count as it may be published: 1 to 7 as "fewer than 8", others to the nearest 5."""
    if is_suppressed(count):
        return SUPPRESSED
    return ROUND_TO * math.floor(count / ROUND_TO + 0.5)


@dataclass(frozen=True)
class Figure:
    """A value worked out from counts (a median, a share) that is hidden with them."""

    value: Any
    counts: tuple[int, ...]


def _counts_of(value) -> tuple[int, ...]:
    if isinstance(value, Rate):
        return (value.numerator, value.denominator)
    if isinstance(value, Difference):
        return (*_counts_of(value.first), *_counts_of(value.second))
    if isinstance(value, Mean):
        return (value.count,)
    if isinstance(value, Figure):
        return value.counts
    return ()


def published(value, column: "Column"):
    """A cell as it may leave the service: counts suppressed and rounded, and figures worked
    out from a suppressed count suppressed."""
    if column.kind == "count" and column.disclosive and isinstance(value, int):
        return suppress(value)
    if any(is_suppressed(count) for count in _counts_of(value)):
        return SUPPRESSED
    return value


@dataclass(frozen=True)
class Column:
    heading: str
    # text, count, percent, interval, number, change_interval, decimal, points (a difference
    # of two rates, in percentage points), points_interval
    kind: str = "text"
    # False for counts that say nothing about people (a partnership's own public listings).
    disclosive: bool = True

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    """Rows of cells: numbers, or the figures they come from (a `Rate` in a percent or an
    interval column, a `Mean` in a number or change_interval one, a `Difference` in a points
    one, a `Figure`), so publishing can hide what a small count would give away.

    The service lead's own page shows exact figures; a `public` table (the partnership's
    page) shows published ones, and every CSV download is published."""

    slug: str
    caption: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    caveat: str = ""  # also the first row of the CSV
    public: bool = False
    # Rows that add up to another row (the groups pooled in a comparison): when one of them
    # is hidden in a column, the others are too, or the total less them would show it.
    breakdowns: list[tuple[int, ...]] = field(default_factory=list)

    def published_rows(self) -> list[list]:
        rows = [
            [published(value, column) for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]
        for group in self.breakdowns:
            for n in range(len(self.columns)):
                if any(rows[r][n] == SUPPRESSED for r in group):
                    for r in group:
                        rows[r][n] = SUPPRESSED
        return rows

    def display_rows(self) -> list[list[dict]]:
        rows = self.published_rows() if self.public else self.rows
        return [
            [
                {
                    "text": _display(value, column),
                    "numeric": column.numeric,
                    "heading": column.heading,
                }
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in rows
        ]

    def csv_bytes(self) -> bytes:
        """UTF-8 with a byte order mark (so Excel reads it as UTF-8); text cells are made
        safe from running as formulas (provider names are typed by other organisations).
        The caveat comes first, the privacy note last, each as a row of its own."""
        out = io.StringIO()
        writer = csv.writer(out)
        if self.caveat:
            writer.writerow([self.caveat])
        headings = []
        for column in self.columns:
            if column.kind in ("interval", "change_interval", "points_interval"):
                headings += [f"{column.heading} low", f"{column.heading} high"]
            elif column.kind == "percent":
                headings.append(f"{column.heading} (%)")
            elif column.kind == "points":
                headings.append(f"{column.heading} (percentage points)")
            else:
                headings.append(column.heading)
        writer.writerow(headings)
        for row in self.published_rows():
            cells = []
            for value, column in zip(row, self.columns, strict=True):
                cells += _csv(value, column.kind)
            writer.writerow(cells)
        if self.note:
            writer.writerow([self.note])
        writer.writerow([DISCLOSURE_NOTE])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _raw(value, kind: str):
    """The number a cell shows, from the figure it holds."""
    if isinstance(value, Rate | Difference | Mean):
        interval = kind in ("interval", "change_interval", "points_interval")
        return value.interval if interval else value.value
    if isinstance(value, Figure):
        return value.value
    return value


def _percent(value: float) -> str:
    return f"{round(100 * value)}%"


def _display(value, column: Column) -> str:
    kind = column.kind
    if value == SUPPRESSED:
        return SUPPRESSED
    value = _raw(value, kind)
    if value is None or value == "":
        return NOT_APPLICABLE
    if kind == "percent":
        return _percent(value)
    if kind == "interval":
        return f"{_percent(value[0])} to {_percent(value[1])}"
    if kind == "points":
        return f"{100 * value:+.0f} points"
    if kind == "points_interval":
        return f"{100 * value[0]:+.0f} to {100 * value[1]:+.0f} points"
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
    width = 2 if kind in ("interval", "change_interval", "points_interval") else 1
    if value == SUPPRESSED:
        return [SUPPRESSED] * width
    value = _raw(value, kind)
    if value is None:
        return [""] * width
    if kind in ("interval", "points_interval"):
        # Whole percents: published counts are rounded, so a finer rate could undo that.
        return [round(100 * value[0]), round(100 * value[1])]
    if kind == "change_interval":
        return [round(value[0], 1), round(value[1], 1)]
    if kind in ("percent", "points"):
        return [round(100 * value)]
    if kind in ("number", "decimal"):
        return [round(value, 1)]
    return [escape_cell(value) if isinstance(value, str) else value]


def rate_cells(rate: Rate) -> list:
    """Numerator, denominator, rate, interval, note: the columns every rate has."""
    return [rate.numerator, rate.denominator, rate, rate, TOO_FEW if rate.too_few else ""]


def rate_columns(numerator: str, denominator: str, rate: str) -> list[Column]:
    return [
        Column(numerator, "count"),
        Column(denominator, "count"),
        Column(rate, "percent"),
        Column("95% confidence interval", "interval"),
        Column("Note"),
    ]


def mean_cells(mean: Mean) -> list:
    return [mean.count, mean, mean, TOO_FEW if mean.too_few else ""]
