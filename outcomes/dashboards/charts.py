"""Horizontal bar charts as inline SVG geometry, drawn by the server (no scripts: the CSP
allows none inline). Every chart sits beside a table of the same figures; the SVG is an
image with a title and a description pointing to that table."""

from dataclasses import dataclass, field

WIDTH = 780  # room after a full bar for "100% (1,234 of 1,234)"
LABEL_WIDTH = 230
PLOT_WIDTH = 330
BAR_HEIGHT = 18
BAR_GAP = 6
GROUP_HEADING = 26
GROUP_GAP = 14
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
        group_top = y
        for bar in group.bars:
            middle = y + BAR_HEIGHT / 2
            chart.texts.append(
                {"x": LABEL_WIDTH - 8, "y": middle + 5, "text": bar.label, "anchor": "end"}
            )
            end = LABEL_WIDTH
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
            chart.texts.append({"x": end + 6, "y": middle + 5, "text": bar.text})
            y += BAR_HEIGHT + BAR_GAP
        if group.target is not None:
            x = _x(group.target)
            chart.lines.append(
                {"x1": x, "x2": x, "y1": group_top - 4, "y2": y - BAR_GAP + 4, "dashed": True}
            )
            chart.texts.append(
                {"x": x + 4, "y": group_top - 6, "text": group.target_text, "size": 12}
            )
        y += GROUP_GAP
    chart.lines.append({"x1": LABEL_WIDTH, "x2": LABEL_WIDTH, "y1": TOP, "y2": y - GROUP_GAP})
    chart.height = int(y)
    return chart
