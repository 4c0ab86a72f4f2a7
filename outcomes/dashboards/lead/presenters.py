"""The service lead's dashboard as tables (HTML and CSV from the same rows) and charts.

`LEAD_TABLES` names every downloadable table and the selector call that fills it, so a CSV
download runs only the query its table needs.
"""

from outcomes.dashboards.charts import Bar, BarGroup, bar_chart
from outcomes.dashboards.lead import comparison as cmp
from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.dashboards.lead import outcome_tables as outcomes
from outcomes.dashboards.lead import referral_counts as counts
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.tables import (
    NOT_APPLICABLE,
    Column,
    Figure,
    Table,
    rate_cells,
    rate_columns,
)
from outcomes.stats import Rate

SELF_REPORTED_NOTE = (
    "Took up and started count sessions on the provider's register only. People whose only "
    "evidence is their own word (“I went” through a message link, or signposting marked as "
    "taken up) are counted separately as self-reported only."
)


def funnel_table(funnel: sel.Funnel) -> Table:
    referred = funnel.referred
    rows = [
        ["Referred", referred, Rate(referred, referred)],
        ["Accepted by the provider", funnel.accepted, Rate(funnel.accepted, referred)],
        [
            "Attended at least once (provider's register)",
            funnel.started,
            Rate(funnel.started, referred),
        ],
        [
            "Said they went (self-reported only)",
            funnel.self_reported,
            Rate(funnel.self_reported, referred),
        ],
        ["Completed", funnel.completed, Rate(funnel.completed, referred)],
        ["Signposted", funnel.signposted, None],
        [
            "Signposted and said they took it up",
            funnel.taken_up,
            Rate(funnel.taken_up, funnel.signposted),
        ],
    ]
    return Table(
        slug="funnel",
        caption="Referral funnel",
        columns=[Column("Stage"), Column("People", "count"), Column("Of referred", "percent")],
        rows=rows,
        note="Attendance counts only when the provider recorded it on its register; a "
        "session only the person reported is shown on its own line and is not uptake. "
        "“Signposted and said they took it up” is a share of those signposted.",
    )


def uptake_table(funnel: sel.Funnel) -> Table:
    return Table(
        slug="uptake",
        caption="Uptake and time to first session",
        columns=[
            Column("Measure"),
            Column("Value", "percent"),
            Column("Number", "count"),
            Column("Of", "count"),
            Column("95% confidence interval", "interval"),
        ],
        rows=[
            [
                "Uptake (attended on the provider's register ÷ referred)",
                funnel.uptake,
                funnel.uptake.numerator,
                funnel.uptake.denominator,
                funnel.uptake,
            ],
            [
                "Exercise-referral schemes on average",
                sel.EXERCISE_REFERRAL_UPTAKE_BENCHMARK,
                None,
                None,
                None,
            ],
        ],
    )


def funnel_chart(funnel: sel.Funnel):
    referred = funnel.referred or 1
    stages = [
        ("Referred", funnel.referred),
        ("Accepted", funnel.accepted),
        ("Attended at least once", funnel.started),
        ("Completed", funnel.completed),
    ]
    bars = [
        Bar(label=label, value=count / referred, text=f"{count:,}", series=1)
        for label, count in stages
    ]
    return bar_chart(
        "chart-funnel", "Referral funnel", [BarGroup("", bars)], table_caption="Referral funnel"
    )


def nudge_table(nudges: sel.NudgeAnswers) -> Table:
    rows = [["Any answer", *rate_cells(nudges.rate)]]
    for label, count in nudges.by_answer.items():
        rows.append([f"Answered “{label}”", *rate_cells(sel.Rate(count, nudges.sent))])
    return Table(
        slug="nudges",
        caption="Answers to follow-up messages sent to service users",
        columns=[Column("Answer"), *rate_columns("Answered", "Messages sent", "Answer rate")],
        rows=rows,
        note="A message can get more than one answer, so the answers can add up to more than "
        "“any answer”.",
    )


def equity_table(equity: equity_sel.Equity, dimension: str) -> Table:
    heading = equity_sel.DIMENSIONS[dimension]
    rows = []
    for row in equity.dimensions[dimension]:
        referral, uptake = row.referral_rate, row.uptake_rate
        rows.append(
            [
                row.label,
                row.caseload,
                Rate(row.caseload, equity.caseload),
                row.referred,
                Rate(row.referred, equity.referred),
                referral,
                referral,
                row.took_up,
                Rate(row.took_up, equity.took_up),
                uptake,
                uptake,
                row.self_reported,
                Rate(row.self_reported, row.referred),
                "Too few to compare" if referral.too_few else "",
            ]
        )
    return Table(
        slug=f"equity-{dimension.replace('_', '-')}",
        caption=f"Who is referred and who takes up, by {heading.lower()}",
        columns=[
            Column(heading),
            Column("Caseload", "count"),
            Column("Share of caseload", "percent"),
            Column("Referred", "count"),
            Column("Share of referred", "percent"),
            Column("Referred (of caseload)", "percent"),
            Column("95% CI, referred", "interval"),
            Column("Took up", "count"),
            Column("Share of took up", "percent"),
            Column("Took up (of referred)", "percent"),
            Column("95% CI, took up", "interval"),
            Column("Self-reported only", "count"),
            Column("Self-reported only (of referred)", "percent"),
            Column("Note"),
        ],
        rows=rows,
        note=SELF_REPORTED_NOTE,
    )


def equity_chart(equity: equity_sel.Equity, dimension: str):
    heading = equity_sel.DIMENSIONS[dimension].lower()
    groups = [
        BarGroup(
            row.label,
            [
                Bar("Share of caseload", row.caseload_share, _percent_text(row.caseload_share), 2),
                Bar("Share of referred", row.referred_share, _percent_text(row.referred_share), 1),
                Bar("Share of took up", row.took_up_share, _percent_text(row.took_up_share), 0),
            ],
        )
        for row in equity.dimensions[dimension]
    ]
    return bar_chart(
        f"chart-equity-{dimension}",
        f"Make-up of the caseload, the people referred and those who took up, by {heading}",
        groups,
        table_caption=f"Who is referred and who takes up, by {heading}",
    )


def performance_table(rows: list[sel.ReferralPerformance], *, by: str) -> Table:
    provider = by == sel.BY_PROVIDER
    return Table(
        slug="providers" if provider else "activity-types",
        caption="Referrals by provider" if provider else "Referrals by activity type",
        columns=[
            Column("Provider" if provider else "Activity type"),
            Column("Referred", "count"),
            Column("Accepted", "count"),
            Column("Acceptance", "percent"),
            Column("Median days to reply", "decimal"),
            Column("Started", "count"),
            Column("Uptake", "percent"),
            Column("Self-reported only", "count"),
            Column("Completed", "count"),
            Column("Completed (of started)", "percent"),
        ],
        rows=[
            [
                row.label,
                row.referred,
                row.accepted,
                row.acceptance,
                Figure(row.median_reply_days, (row.referred, row.answered)),
                row.started,
                row.uptake,
                row.self_reported,
                row.completed,
                row.completion,
            ]
            for row in rows
        ],
        note=SELF_REPORTED_NOTE,
    )


def _percent_text(value: float | None) -> str:
    return f"{round(100 * value)}%" if value is not None else NOT_APPLICABLE


LEAD_TABLES = {
    "funnel": lambda s, p: funnel_table(sel.referral_funnel(s, p)),
    "uptake": lambda s, p: uptake_table(sel.referral_funnel(s, p)),
    "nudges": lambda s, p: nudge_table(sel.nudge_answer_rates(s, p)),
    "recovery": lambda s, p: outcomes.recovery_table(cmp.outcome_comparison(s, p)),
    "difference": lambda s, p: outcomes.difference_table(cmp.outcome_comparison(s, p)),
    "outcomes": lambda s, p: outcomes.outcome_rates_table(
        cmp.outcome_comparison(s, p), sel.targets_for(s)
    ),
    "score-change": lambda s, p: outcomes.outcome_change_table(cmp.outcome_comparison(s, p)),
    **{
        f"equity-{d.replace('_', '-')}": (
            lambda s, p, d=d: equity_table(equity_sel.equity(s, p), d)
        )
        for d in equity_sel.DIMENSIONS
    },
    "providers": lambda s, p: performance_table(
        counts.referral_performance(s, p, by=sel.BY_PROVIDER), by=sel.BY_PROVIDER
    ),
    "activity-types": lambda s, p: performance_table(
        counts.referral_performance(s, p, by=sel.BY_ACTIVITY_TYPE), by=sel.BY_ACTIVITY_TYPE
    ),
}


ROWS_SHOWN = dashboard_figures.ROWS_SHOWN


def _first_rows(table: Table, what: str) -> Table:
    """The page shows the most referred; the CSV has them all."""
    if len(table.rows) <= ROWS_SHOWN:
        return table
    return Table(
        slug=table.slug,
        caption=table.caption,
        columns=table.columns,
        rows=table.rows[:ROWS_SHOWN],
        note=f"The {ROWS_SHOWN} most referred {what}. Download the table for all of them.",
    )


def lead_page(service_id, period, parts=dashboard_figures.ALL_PARTS) -> dict:
    """The context for the sections drawn from the kept figures: only the parts asked for."""
    figures = dashboard_figures.lead_figures(service_id, period, parts)
    page = {"computed_at": figures.computed_at}
    if (funnel := figures.funnel) is not None:
        page.update(
            funnel=funnel,
            funnel_table=funnel_table(funnel),
            funnel_chart=funnel_chart(funnel) if funnel.referred else None,
            uptake_table=uptake_table(funnel),
            benchmark=sel.EXERCISE_REFERRAL_UPTAKE_BENCHMARK,
        )
    if (nudges := figures.nudges) is not None:
        page.update(nudges=nudges, nudge_table=nudge_table(nudges) if nudges.sent else None)
    if (comparison := figures.outcomes) is not None:
        targets = sel.targets_for(service_id)
        ended = comparison.ended
        page.update(
            ended=ended,
            headline=outcomes.headline(comparison),
            caveat=cmp.CAVEAT,
            activity_groups={member.value: member.label for member in cmp.G},
            recovery_table=outcomes.recovery_table(comparison),
            difference_table=outcomes.difference_table(comparison),
            outcome_table=outcomes.outcome_rates_table(comparison, targets),
            outcome_chart=outcomes.outcome_chart(comparison, targets) if ended else None,
            change_table=outcomes.outcome_change_table(comparison),
            targets=targets,
        )
    if (equity := figures.equity) is not None:
        page["equity"] = equity
        page["equity_sections"] = (
            [
                {
                    "heading": heading,
                    "table": equity_table(equity, dimension),
                    "chart": equity_chart(equity, dimension),
                }
                for dimension, heading in equity_sel.DIMENSIONS.items()
            ]
            if equity.caseload
            else []
        )
    if figures.providers is not None:
        page["provider_table"] = _first_rows(
            performance_table(figures.providers, by=sel.BY_PROVIDER), "providers"
        )
    if figures.types is not None:
        page["type_table"] = _first_rows(
            performance_table(figures.types, by=sel.BY_ACTIVITY_TYPE), "activity types"
        )
    return page
