"""The outcomes section of the service lead's dashboard: recovery for those who took up
activity against those who did not, with the difference and its interval, who is left out
of each rate and why, every outcome by group, and the mean change in scores."""

from outcomes.dashboards.charts import Bar, BarGroup, bar_chart
from outcomes.dashboards.lead import comparison as cmp
from outcomes.dashboards.tables import TOO_FEW, Column, Table, mean_cells, rate_cells, rate_columns
from outcomes.stats import Difference, Rate

DENOMINATORS_NOTE = (
    "Recovery and reliable recovery: finished treatment (at least 2 attended treatment "
    "appointments), a first and a last PHQ-9 and GAD-7, and a clinical case at the start. "
    "Reliable improvement and deterioration: finished treatment with a first and a last "
    "PHQ-9 and GAD-7, whether or not a case at the start."
)
GROUPS_NOTE = (
    "Took up: at least one session the provider recorded as attended, on a referral or "
    "signposting made during the episode, between the episode's start and its last paired "
    "scores. Self-reported only: the person said they went (through a message link, or "
    "signposting marked taken up), with no session on the provider's register."
)


# In each block of _comparison_rows, the rows pooled in the second (the comparison).
POOLED = (2, 3)
BLOCK = 5


def _breakdowns(blocks: int) -> list[tuple[int, ...]]:
    return [tuple(BLOCK * b + r for r in POOLED) for b in range(blocks)]


def _comparison_rows(comparison: cmp.OutcomeComparison) -> list[cmp.OutcomeGroup]:
    """The two sides first, then the groups they are made of and the one in neither."""
    by_key = {group.key: group for group in comparison.groups}
    return [
        comparison.activity,
        comparison.comparison,
        *(by_key[member.value] for member in cmp.COMPARISON),
        by_key[cmp.G.SELF_REPORTED.value],
    ]


def recovery_table(comparison: cmp.OutcomeComparison) -> Table:
    rows = []
    for group in _comparison_rows(comparison):
        recovered = group.rates["recovered"]
        rows.append(
            [
                group.label,
                group.ended,
                *(group.left_out[reason] for reason in cmp.LEFT_OUT),
                *rate_cells(recovered)[:4],
                group.still_in_treatment,
                TOO_FEW if recovered.too_few else "",
            ]
        )
    return Table(
        slug="recovery",
        caption="Recovery by uptake of physical activity, and who is left out",
        columns=[
            Column("Group"),
            Column("Ended in the period", "count"),
            *(Column(f"Left out: {_lower(label)}", "count") for label in cmp.LEFT_OUT.values()),
            Column("Recovered", "count"),
            Column("Counted for recovery", "count"),
            Column("Recovery", "percent"),
            Column("95% confidence interval", "interval"),
            Column("Still in treatment (not counted yet)", "count"),
            Column("Note"),
        ],
        rows=rows,
        note="Each episode that ended is counted once: left out for the first reason that "
        "applies, or counted for recovery. " + GROUPS_NOTE,
        caveat=cmp.CAVEAT,
        breakdowns=_breakdowns(1),
    )


def difference_table(comparison: cmp.OutcomeComparison) -> Table:
    rows = []
    for flag, measure in cmp.OUTCOME_FLAGS.items():
        difference = comparison.difference(flag)
        rows.append(
            [
                measure,
                difference.first,
                difference.first.denominator,
                difference.second,
                difference.second.denominator,
                difference,
                difference,
                TOO_FEW if difference.too_few else "",
            ]
        )
    return Table(
        slug="difference",
        caption="Difference between those who took up activity and those who did not",
        columns=[
            Column("Outcome"),
            Column("Took up", "percent"),
            Column("Counted, took up", "count"),
            Column("Did not take up", "percent"),
            Column("Counted, did not take up", "count"),
            Column("Difference", "points"),
            Column("95% confidence interval", "points_interval"),
            Column("Note"),
        ],
        rows=rows,
        note="Took up less did not take up, in percentage points; the interval is Newcombe's "
        "hybrid score interval. “Did not take up” pools people referred who did not take "
        "activity up and people not referred; people whose only evidence is their own word are "
        "in neither. " + DENOMINATORS_NOTE,
        caveat=cmp.CAVEAT,
    )


def outcome_rates_table(comparison: cmp.OutcomeComparison, targets) -> Table:
    rows = []
    for flag, measure in cmp.OUTCOME_FLAGS.items():
        target = _target(flag, targets)
        for group in _comparison_rows(comparison):
            rows.append([measure, group.label, *rate_cells(group.rates[flag]), target])
    return Table(
        slug="outcomes",
        caption="Outcomes of episodes that ended in the period",
        columns=[
            Column("Outcome"),
            Column("Group"),
            *rate_columns("Number", "Denominator", "Rate"),
            Column("Target", "percent"),
        ],
        rows=rows,
        note=DENOMINATORS_NOTE,
        caveat=cmp.CAVEAT,
        breakdowns=_breakdowns(len(cmp.OUTCOME_FLAGS)),
    )


def outcome_change_table(comparison: cmp.OutcomeComparison) -> Table:
    rows = []
    for label, attribute in (("PHQ-9", "phq9_change"), ("GAD-7", "gad7_change")):
        for group in _comparison_rows(comparison):
            mean = getattr(group, attribute)
            left_out = group.left_out["fewer_sessions"] + group.left_out["no_pair"]
            rows.append([label, group.label, group.ended, left_out, *mean_cells(mean)])
    return Table(
        slug="score-change",
        caption="Mean change in score, first to last, for finished treatment",
        columns=[
            Column("Measure"),
            Column("Group"),
            Column("Ended in the period", "count"),
            Column("Left out: fewer than 2 sessions or no paired scores", "count"),
            Column("People", "count"),
            Column("Mean change", "number"),
            Column("95% confidence interval", "change_interval"),
            Column("Note"),
        ],
        rows=rows,
        note="A fall (a negative change) is an improvement. The interval uses Student's t "
        "with one fewer degrees of freedom than people.",
        caveat=cmp.CAVEAT,
        breakdowns=_breakdowns(2),
    )


def _bar(rate: Rate, label: str, series: int) -> Bar:
    text = (
        f"{round(100 * rate.value)}% ({rate.numerator} of {rate.denominator})"
        if rate.value is not None
        else "no one"
    )
    return Bar(label=label, value=rate.value, text=text, series=series, interval=rate.interval)


def outcome_chart(comparison: cmp.OutcomeComparison, targets):
    self_reported = next(g for g in comparison.groups if g.key == cmp.G.SELF_REPORTED.value)
    sides = [comparison.activity, comparison.comparison, self_reported]
    chart_groups = []
    for flag, measure in cmp.OUTCOME_FLAGS.items():
        target = _target(flag, targets)
        chart_groups.append(
            BarGroup(
                measure,
                [
                    _bar(group.rates[flag], _short(group), series)
                    for series, group in enumerate(sides)
                ],
                target=target,
                target_text=f"Target {round(100 * target)}%" if target is not None else "",
            )
        )
    return bar_chart(
        "chart-outcomes",
        "Outcomes by uptake of physical activity, with 95% confidence intervals",
        chart_groups,
        table_caption="Outcomes of episodes that ended in the period",
    )


def _short(group: cmp.OutcomeGroup) -> str:
    return {
        cmp.ACTIVITY.value: "Took up activity",
        "comparison": "Did not take up",
        cmp.G.SELF_REPORTED.value: "Self-reported only",
    }[group.key]


def headline(comparison: cmp.OutcomeComparison) -> dict:
    """Recovery for the two sides, the difference and its interval, for the page's summary."""
    difference: Difference = comparison.difference("recovered")
    sides = []
    for group in (comparison.activity, comparison.comparison):
        rate = group.rates["recovered"]
        sides.append(
            {
                "label": group.label,
                "rate": rate,
                "percent": None if rate.value is None else round(100 * rate.value),
                "left_out": [
                    (_lower(label), group.left_out[reason])
                    for reason, label in cmp.LEFT_OUT.items()
                ],
                "still_in_treatment": group.still_in_treatment,
            }
        )
    return {
        "sides": sides,
        "difference": difference,
        "points": None if difference.value is None else f"{100 * difference.value:+.0f}",
        "interval": None
        if difference.interval is None
        else tuple(f"{100 * limit:+.0f}" for limit in difference.interval),
    }


def _lower(label: str) -> str:
    """ "No paired PHQ-9..." as "no paired PHQ-9...": the first letter only."""
    return label[0].lower() + label[1:]


def _target(flag: str, targets) -> float | None:
    value = {
        "recovered": targets.recovery_target,
        "reliably_recovered": targets.reliable_recovery_target,
        "reliably_improved": targets.reliable_improvement_target,
    }.get(flag)
    return value / 100 if value is not None else None
