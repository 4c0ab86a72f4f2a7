"""Personal activity plans on the service lead's dashboard: the headline, the three tables
(overall and by group; HTML and CSV from the same rows) and the chart."""

from outcomes.dashboards.charts import BarGroup, bar_chart
from outcomes.dashboards.lead.measure_tables import percent, rate_bar
from outcomes.dashboards.lead.measures import breakdowns as bd
from outcomes.dashboards.lead.measures import plans
from outcomes.dashboards.tables import TOO_FEW, Column, Table, mean_cells
from outcomes.stats import Mean, Rate

CHECK_INS_CAPTION = "People with a plan and weekly check-ins answered, by group"
GOALS_CAPTION = "Plans that ended and reached their weekly goal, by group"
MINUTES_CAPTION = "Change in weekly active minutes over the plan, by group"
PEOPLE_NOTE = (
    "People with a plan agreed: a plan sent to them in the period (a draft is not counted). "
)
CHECK_INS_NOTE = (
    "A check-in is due for each week of a sent plan: check-ins asked are the plan weeks whose "
    "last day fell in the period, before today; answered, those the person (or their "
    "clinician for them) recorded. Weeks after a plan was replaced by a newer one are not "
    "asked."
)
GOALS_NOTE = (
    "Plans sent whose last week ended in the period, before today. A plan reached its goal "
    "when the answer for its last week (days done times minutes each time) is at or above the "
    "plan's weekly goal. Plans replaced before their last week ended, and plans with no "
    "answer for their last week, are left out."
)
MINUTES_NOTE = (
    "The same plans, not replaced before their end: the latest weekly-minutes measure taken "
    "after the plan's first day and no later than its last, less the measure the plan was "
    "made from. A rise is more activity. The interval uses Student's t."
)


def _rows(figures: plans.PlanFigures, cells) -> tuple[list[list], list[tuple[int, ...]]]:
    """Everyone first, then each group; each dimension's rows add up to the first row."""
    rows = [[plans.ALL, *cells(figures.all)]]
    blocks = []
    for dimension, heading in bd.DEMOGRAPHICS.items():
        start = len(rows)
        rows += [[f"{heading}: {row.label}", *cells(row)] for row in figures.groups[dimension]]
        blocks.append(tuple(range(start, len(rows))))
    return rows, blocks


def _rate_cells(rate: Rate) -> list:
    return [rate, rate, TOO_FEW if rate.too_few else ""]


def check_ins_table(figures: plans.PlanFigures) -> Table:
    def cells(row: plans.PlanRow) -> list:
        return [
            row.people,
            row.left_out["after_replaced"],
            row.asked,
            row.answered,
            *_rate_cells(row.response),
        ]

    rows, blocks = _rows(figures, cells)
    columns = [
        Column("Group"),
        Column("People with a plan agreed", "count"),
        Column("Left out: weeks after the plan was replaced", "count"),
        Column("Check-ins asked", "count"),
        Column("Check-ins answered", "count"),
        Column("Response rate", "percent"),
        Column("95% confidence interval", "interval"),
        Column("Note"),
    ]
    return Table(
        slug="plan-check-ins",
        caption=CHECK_INS_CAPTION,
        columns=columns,
        rows=rows,
        note=PEOPLE_NOTE + CHECK_INS_NOTE,
        caveat=plans.CAVEAT,
        breakdowns=blocks,
    )


def goals_table(figures: plans.PlanFigures) -> Table:
    def cells(row: plans.PlanRow) -> list:
        return [
            row.ended,
            row.left_out["replaced"],
            row.left_out["no_answer"],
            row.reached,
            row.goal_counted,
            *_rate_cells(row.goal),
        ]

    rows, blocks = _rows(figures, cells)
    return Table(
        slug="plan-goals",
        caption=GOALS_CAPTION,
        columns=[
            Column("Group"),
            Column("Plans that ended", "count"),
            Column("Left out: replaced before the end", "count"),
            Column("Left out: no answer for the last week", "count"),
            Column("Reached their goal", "count"),
            Column("Counted for the goal", "count"),
            Column("Share reaching their goal", "percent"),
            Column("95% confidence interval", "interval"),
            Column("Note"),
        ],
        rows=rows,
        note=GOALS_NOTE,
        caveat=plans.CAVEAT,
        breakdowns=blocks,
    )


def minutes_table(figures: plans.PlanFigures) -> Table:
    def cells(row: plans.PlanRow) -> list:
        return [
            row.ended - row.left_out["replaced"],
            row.left_out["no_start"],
            row.left_out["no_measure"],
            *mean_cells(row.minutes_change),
        ]

    rows, blocks = _rows(figures, cells)
    return Table(
        slug="plan-minutes",
        caption=MINUTES_CAPTION,
        columns=[
            Column("Group"),
            Column("Plans that ended, not replaced", "count"),
            Column("Left out: no measure when the plan was made", "count"),
            Column("Left out: no measure during the plan", "count"),
            Column("People counted", "count"),
            Column("Mean change in minutes a week", "number"),
            Column("95% confidence interval", "change_interval"),
            Column("Note"),
        ],
        rows=rows,
        note=MINUTES_NOTE,
        caveat=plans.CAVEAT,
        breakdowns=blocks,
    )


def _rate_text(rate: Rate, of_what: str) -> str:
    if rate.value is None:
        return f"No {of_what} in this period"
    low, high = rate.interval or (0.0, 0.0)
    return (
        f"{percent(rate.value)} ({rate.numerator:,} of {rate.denominator:,}; 95% confidence "
        f"interval {percent(low)} to {percent(high)})"
    )


def _mean_text(mean: Mean) -> str:
    if mean.value is None:
        return "No plan that ended has a measure at its start and during it"
    people = "person" if mean.count == 1 else "people"
    text = f"{mean.value:+.1f} minutes a week ({mean.count:,} {people}"
    if mean.interval:
        text += f"; 95% confidence interval {mean.interval[0]:+.1f} to {mean.interval[1]:+.1f}"
    return text + ")"


def headline(figures: plans.PlanFigures) -> dict:
    row = figures.all
    return {
        "rows": [
            ("People with a plan agreed", f"{row.people:,}"),
            ("Check-ins answered", _rate_text(row.response, "check-ins due")),
            ("Plans that reached their goal", _rate_text(row.goal, "plans ended")),
            ("Change in weekly active minutes", _mean_text(row.minutes_change)),
        ],
        "too_few": row.response.too_few or row.goal.too_few or row.minutes_change.too_few,
        "left_out": [(plans.LEFT_OUT[key], row.left_out[key]) for key in plans.LEFT_OUT],
    }


def goals_chart(figures: plans.PlanFigures):
    groups = [
        BarGroup(heading, [rate_bar(row.goal, row.label, 1) for row in figures.groups[dimension]])
        for dimension, heading in bd.DEMOGRAPHICS.items()
        if figures.groups[dimension]
    ]
    return bar_chart(
        "chart-plan-goals",
        "Share of plans that reached their goal, by group, with 95% confidence intervals",
        groups,
        table_caption=GOALS_CAPTION,
    )
