"""Server-drawn charts: target labels in a row of their own and values clear of the target
line, so neither ever sits on the other; line charts with gaps where a month has no value."""

from outcomes.dashboards.charts import (
    LABEL_WIDTH,
    PLOT_WIDTH,
    Bar,
    BarGroup,
    bar_chart,
    line_chart,
)

CHARACTER = 8  # a generous width for one character at 14px


def test_a_value_short_of_the_target_is_written_after_the_target_line():
    target_x = LABEL_WIDTH + PLOT_WIDTH * 0.9
    chart = bar_chart(
        "c",
        "Paired scores",
        [
            BarGroup(
                "Paired scores",
                [Bar("Low", 0.4, "40% (4 of 10)"), Bar("High", 0.95, "95% (19 of 20)")],
                target=0.9,
                target_text="NHS target 90%",
            )
        ],
        table_caption="T",
    )
    values = [t for t in chart.texts if t["text"].endswith(")")]
    assert all(t["x"] > target_x for t in values)
    label = next(t for t in chart.texts if t["text"] == "NHS target 90%")
    first_bar_top = min(r["y"] for r in chart.rects)
    # The label's row ends above the first bar and below the group's heading.
    heading = next(t for t in chart.texts if t["text"] == "Paired scores")
    assert heading["y"] < label["y"] <= first_bar_top
    line = next(line for line in chart.lines if line.get("dashed"))
    assert line["y1"] >= label["y"]


def test_labels_and_values_never_overlap_whatever_the_rates():
    """Every text's box, from its anchor and length, is clear of every other text's box."""
    for target in (0.05, 0.5, 0.9, 1.0):
        for value in (0.0, 0.3, 0.5, 0.89, 0.9, 1.0):
            chart = bar_chart(
                "c",
                "T",
                [
                    BarGroup(
                        "Group",
                        [Bar("A", value, "100% (1,234 of 1,234)", interval=(0, 1))],
                        target=target,
                        target_text="Target 100%",
                    )
                ],
                table_caption="T",
            )
            boxes = [_box(text) for text in chart.texts]
            for n, a in enumerate(boxes):
                for b in boxes[n + 1 :]:
                    assert not _overlap(a, b), (target, value, a, b)
            assert max(box[2] for box in boxes) <= chart.width


def _box(text):
    width = CHARACTER * len(text["text"])
    size = text.get("size", 14)
    left = {"end": text["x"] - width, "middle": text["x"] - width / 2}.get(
        text.get("anchor"), text["x"]
    )
    return (left, text["y"] - size, left + width, text["y"])


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_line_chart_leaves_a_gap_for_a_month_without_a_value():
    chart = line_chart(
        "t",
        "Trends",
        ["Oct 25", "Nov 25", "Dec 25"],
        [("Recovery", [0.5, None, 0.6]), ("Uptake", [0.2, 0.3, 0.4])],
        table_caption="T",
    )
    markers = [r for r in chart.rects if r["width"] == 8]
    assert len(markers) == 5
    coloured = [line for line in chart.lines if line.get("stroke") and line["x1"] != line["x2"]]
    # Legend swatches (2), no segment across the gap, two segments for uptake.
    assert len(coloured) == 2 + 2
    assert {"Oct 25", "Nov 25", "Dec 25", "0%", "100%"} <= {t["text"] for t in chart.texts}
