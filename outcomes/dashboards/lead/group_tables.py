"""Monthly trends, recovery by step, provider, activity type and demographic group, and change
in activity level, as tables (HTML and CSV from the same rows) and charts."""

from outcomes.dashboards.charts import BarGroup, bar_chart, line_chart
from outcomes.dashboards.lead.measure_tables import percent, rate_bar
from outcomes.dashboards.lead.measures import activity_levels as levels
from outcomes.dashboards.lead.measures import breakdowns as bd
from outcomes.dashboards.lead.measures import trends
from outcomes.dashboards.tables import (
    Column,
    Table,
    mean_cells,
    rate_cells,
)
from outcomes.stats import Rate

TRENDS_CAPTION = "Recovery, activity uptake and paired scores by month"
GROUPS_CAPTION = "Recovery by step of care and by group"
LEVELS_CAPTION = "Sport England activity level at the first and latest record"
RECOVERY_NOTE = (
    "Recovery counts episodes that ended in the period having finished treatment (at least 2 "
    "attended treatment appointments) with a first and a last PHQ-9 and GAD-7, that were a "
    "clinical case at the start."
)


def _recovery_cells(row: bd.RecoveryRow) -> list:
    return [row.ended, *rate_cells(row.recovery)]


def _recovery_columns(first: str) -> list[Column]:
    return [
        Column(first),
        Column("Ended in the period", "count"),
        Column("Recovered", "count"),
        Column("Counted for recovery", "count"),
        Column("Recovery", "percent"),
        Column("95% confidence interval", "interval"),
        Column("Note"),
    ]


# Trends ---------------------------------------------------------------------------------


def trends_table(months: list[trends.Month]) -> Table:
    return Table(
        slug="trends",
        caption=TRENDS_CAPTION,
        columns=[
            Column("Month"),
            Column("Ended", "count"),
            Column("Recovery", "percent"),
            Column("Counted for recovery", "count"),
            Column("Uptake", "percent"),
            Column("Referred or signposted", "count"),
            Column("Paired scores", "percent"),
            Column("Finished treatment", "count"),
        ],
        rows=[
            [
                f"{month.month:%B %Y}",
                month.ended,
                month.recovery,
                month.recovery.denominator,
                month.uptake,
                month.uptake.denominator,
                month.completeness,
                month.completeness.denominator,
            ]
            for month in months
        ],
        note="Episodes by the month they ended. Uptake: a session on the provider's register, "
        "of those referred or signposted during the episode. Paired scores: of "
        "those who finished treatment. " + RECOVERY_NOTE,
    )


def trends_chart(months: list[trends.Month]):
    return line_chart(
        "chart-trends",
        "Recovery, activity uptake and paired scores by month",
        [f"{month.month:%b %y}" for month in months],
        [
            ("Recovery", [month.recovery.value for month in months]),
            ("Activity uptake", [month.uptake.value for month in months]),
            ("Paired scores", [month.completeness.value for month in months]),
        ],
        table_caption=TRENDS_CAPTION,
    )


# Recovery by group ----------------------------------------------------------------------


def groups_table(groups: dict[str, list[bd.RecoveryRow]]) -> Table:
    rows: list[list] = []
    blocks: list[tuple[int, ...]] = []
    for dimension, heading in bd.DEMOGRAPHICS.items():
        start = len(rows)
        rows += [[f"{heading}: {row.label}", *_recovery_cells(row)] for row in groups[dimension]]
        blocks.append(tuple(range(start, len(rows))))
    return Table(
        slug="recovery-by-group",
        caption=GROUPS_CAPTION,
        columns=_recovery_columns("Group"),
        rows=rows,
        note=RECOVERY_NOTE,
        # Each dimension's rows add up to every episode that ended.
        breakdowns=blocks,
    )


def activity_recovery_table(
    rows: list[bd.RecoveryRow], *, by: str, shown: int | None = None
) -> Table:
    """The CSV has every row; the page (`shown`) the ones with the most ended episodes: a
    service's year can hold well over a thousand providers, and a page of them is unreadable
    (and took most of the section's time to render)."""
    heading = bd.ACTIVITY_DIMENSIONS[by]
    note = (
        "An episode counts under each "
        f"{heading.lower()} where the person attended a session on the provider's register "
        "during the episode, so the rows can add up to more than the episodes. " + RECOVERY_NOTE
    )
    if shown is not None and len(rows) > shown:
        note = (
            f"The {shown} {heading.lower()}s with the most ended episodes, of {len(rows):,}. "
            "Download the table for all of them. " + note
        )
        rows = rows[:shown]
    return Table(
        slug=f"recovery-by-{by.replace('_', '-')}",
        caption=f"Recovery by {heading.lower()} of the activity taken up",
        columns=_recovery_columns(heading),
        rows=[[row.label, *_recovery_cells(row)] for row in rows],
        note=note,
    )


def groups_chart(groups: dict[str, list[bd.RecoveryRow]], target: float | None):
    chart_groups = [
        BarGroup(
            heading,
            [rate_bar(row.recovery, row.label, 1) for row in groups[dimension]],
            target=target,
            target_text=f"Target {percent(target)}" if target is not None else "",
        )
        for dimension, heading in bd.DEMOGRAPHICS.items()
        if groups[dimension]
    ]
    return bar_chart(
        "chart-recovery-by-group",
        "Recovery by step of care and by group, with 95% confidence intervals",
        chart_groups,
        table_caption=GROUPS_CAPTION,
    )


# Activity levels ------------------------------------------------------------------------


def levels_table(change: levels.LevelChange) -> Table:
    rows = [
        [
            f"{level} ({levels.LEVEL_NOTES[level]})",
            change.at_first(level),
            Rate(change.at_first(level), change.people),
            change.at_latest(level),
            Rate(change.at_latest(level), change.people),
        ]
        for level in levels.LEVELS
    ]
    return Table(
        slug="activity-levels",
        caption=LEVELS_CAPTION,
        columns=[
            Column("Level"),
            Column("At first record", "count"),
            Column("Share at first", "percent"),
            Column("At latest record", "count"),
            Column("Share at latest", "percent"),
        ],
        rows=rows,
        note="Episodes whose latest weekly-minutes record is dated in the period and is not "
        "their first. Moderate-equivalent minutes a week: vigorous minutes count double.",
        breakdowns=[(0, 1, 2)],
    )


def change_table(change: levels.LevelChange) -> Table:
    moved = [
        ("Moved up a level or more", change.moved_up),
        ("Stayed at the same level", change.stayed),
        ("Moved down a level or more", change.moved_down),
    ]
    rows = [
        [label, count, Rate(count, change.people), None, None, None, ""] for label, count in moved
    ]
    rows.append(["Change in minutes a week", None, None, *mean_cells(change.minutes_change)])
    return Table(
        slug="activity-change",
        caption="Change in activity from the first to the latest record",
        columns=[
            Column("Change"),
            Column("Episodes", "count"),
            Column("Share", "percent"),
            Column("People", "count"),
            Column("Mean change", "number"),
            Column("95% confidence interval", "change_interval"),
            Column("Note"),
        ],
        rows=rows,
        note="A rise is more activity. The interval uses Student's t.",
        breakdowns=[(0, 1, 2)],
    )


def levels_chart(change: levels.LevelChange):
    groups = [
        BarGroup(
            when,
            [
                rate_bar(Rate(count(level), change.people), level, series)
                for series, level in enumerate(levels.LEVELS)
            ],
        )
        for when, count in (
            ("At the first record", change.at_first),
            ("At the latest record", change.at_latest),
        )
    ]
    return bar_chart(
        "chart-activity-levels",
        "Share at each Sport England activity level, first and latest record",
        groups,
        table_caption=LEVELS_CAPTION,
    )
