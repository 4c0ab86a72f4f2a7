"""Horizontal bar charts as inline SVG geometry, drawn by the server (no scripts: the CSP
allows none inline). Every chart sits beside a table of the same figures; the SVG is an
image with a title and a description pointing to that table."""

from dataclasses import dataclass, field
from itertools import pairwise

WIDTH = 780  # room after a full bar for "100% (1,234 of 1,234)"
LABEL_WIDTH = 230
PLOT_WIDTH = 330
BAR_HEIGHT = 18
BAR_GAP = 6
GROUP_HEADING = 26
GROUP_GAP = 14
TARGET_ROW = 18  # a row of its own for a target's label, above the bars it applies to
TOP = 8
# Colours with at least 3:1 contrast on white (WCAG 1.4.11); each bar is also labelled.
SERIES_COLOURS = ["#007f3b", "#005eb8", "#425563", "#330072"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # 0 to 1 of the chart's scale; None draws no bar
    text: str
    series: int = 0
    interval: tuple[float, float] | None = None


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: list[Bar]
    target: float | None = None
    target_text: str = ""


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    width: int = WIDTH
    height: int = 0
    texts: list[dict] = field(default_factory=list)
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)


def _x(value: float) -> float:
    return round(LABEL_WIDTH + PLOT_WIDTH * max(0.0, min(1.0, value)), 1)


def _anchor(x: float) -> str:
    """Target labels centre on their line, except near the ends of the scale."""
    if x < LABEL_WIDTH + 40:
        return "start"
    if x > LABEL_WIDTH + PLOT_WIDTH - 40:
        return "end"
    return "middle"


def bar_chart(chart_id: str, title: str, groups: list[BarGroup], *, table_caption: str) -> Chart:
    chart = Chart(
        chart_id=chart_id,
        title=title,
        description=f"Bar chart. The same figures are in the table “{table_caption}”.",
    )
    y = TOP
    for group in groups:
        if group.label:
            chart.texts.append({"x": 0, "y": y + 16, "text": group.label, "weight": "bold"})
            y += GROUP_HEADING
        target_x = _x(group.target) if group.target is not None else None
        if target_x is not None:
            # The label has its own row, so it never sits on a heading, a bar or a value.
            chart.texts.append(
                {
                    "x": target_x,
                    "y": y + 13,
                    "text": group.target_text,
                    "size": 12,
                    "anchor": _anchor(target_x),
                }
            )
            y += TARGET_ROW
        group_top = y
        for bar in group.bars:
            middle = y + BAR_HEIGHT / 2
            chart.texts.append(
                {"x": LABEL_WIDTH - 8, "y": middle + 5, "text": bar.label, "anchor": "end"}
            )
            end: float = LABEL_WIDTH
            if bar.value is not None:
                end = _x(bar.value)
                chart.rects.append(
                    {
                        "x": LABEL_WIDTH,
                        "y": y,
                        "width": round(end - LABEL_WIDTH, 1),
                        "height": BAR_HEIGHT,
                        "fill": SERIES_COLOURS[bar.series % len(SERIES_COLOURS)],
                    }
                )
            if bar.interval is not None:
                low, high = _x(bar.interval[0]), _x(bar.interval[1])
                chart.lines.append({"x1": low, "x2": high, "y1": middle, "y2": middle})
                for x in (low, high):
                    chart.lines.append({"x1": x, "x2": x, "y1": middle - 5, "y2": middle + 5})
                end = max(end, high)
            if target_x is not None and target_x >= end - 1:
                # A value that would start on or before the target line starts after it.
                end = target_x
            chart.texts.append({"x": end + 6, "y": middle + 5, "text": bar.text})
            y += BAR_HEIGHT + BAR_GAP
        if target_x is not None:
            chart.lines.append(
                {
                    "x1": target_x,
                    "x2": target_x,
                    "y1": group_top - 2,
                    "y2": y - BAR_GAP + 2,
                    "dashed": True,
                }
            )
        y += GROUP_GAP
    chart.lines.append({"x1": LABEL_WIDTH, "x2": LABEL_WIDTH, "y1": TOP, "y2": y - GROUP_GAP})
    chart.height = int(y)
    return chart


# Line charts: shares by month ---------------------------------------------------------------

LINE_LEFT = 56
LINE_RIGHT = WIDTH - 24
LINE_HEIGHT = 220
LEGEND_ROW = 24
# Each series also differs by its dash, so colour is never the only difference.
SERIES_DASHES = ["", "10 5", "3 4", "14 4 3 4"]


def line_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    table_caption: str,
) -> Chart:
    """Shares from 0 to 1 at evenly spaced points (months), one line per series, with a
    gap where a point has no value."""
    chart = Chart(
        chart_id=chart_id,
        title=title,
        description=f"Line chart. The same figures are in the table “{table_caption}”.",
    )
    for n, (name, _) in enumerate(series):
        x = LINE_LEFT + n * 200
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        chart.lines.append(
            {"x1": x, "x2": x + 28, "y1": TOP + 8, "y2": TOP + 8, "stroke": colour,
             "dash": SERIES_DASHES[n % len(SERIES_DASHES)]}
        )  # fmt: skip
        chart.texts.append({"x": x + 34, "y": TOP + 13, "text": name})
    top = TOP + LEGEND_ROW + 8
    bottom = top + LINE_HEIGHT

    def y_of(value: float) -> float:
        return round(bottom - LINE_HEIGHT * max(0.0, min(1.0, value)), 1)

    for quarter in range(5):
        y = y_of(quarter / 4)
        chart.lines.append({"x1": LINE_LEFT, "x2": LINE_RIGHT, "y1": y, "y2": y, "grid": True})
        chart.texts.append(
            {"x": LINE_LEFT - 6, "y": y + 5, "text": f"{25 * quarter}%", "anchor": "end"}
        )
    step = (LINE_RIGHT - LINE_LEFT) / max(1, len(labels))
    xs = [round(LINE_LEFT + step * (n + 0.5), 1) for n in range(len(labels))]
    for point_x, label in zip(xs, labels, strict=True):
        chart.texts.append(
            {"x": point_x, "y": bottom + 18, "text": label, "anchor": "middle", "size": 12}
        )
    for n, (_, values) in enumerate(series):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[n % len(SERIES_DASHES)]
        points = [(x, y_of(v)) if v is not None else None for x, v in zip(xs, values, strict=True)]
        for a, b in pairwise(points):
            if a and b:
                chart.lines.append(
                    {"x1": a[0], "x2": b[0], "y1": a[1], "y2": b[1], "stroke": colour,
                     "dash": dash}
                )  # fmt: skip
        for point in points:
            if point:
                chart.rects.append(
                    {"x": point[0] - 4, "y": point[1] - 4, "width": 8, "height": 8, "fill": colour}
                )
    chart.height = int(bottom + 30)
    return chart
