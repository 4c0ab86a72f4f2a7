"""The measures leads are judged on, as tables (HTML and CSV from the same rows) and charts:
waits, engagement and completeness. Trends, recovery by group and activity levels are in
group_tables.py."""

from outcomes.dashboards.charts import Bar, BarGroup, bar_chart
from outcomes.dashboards.lead.measures import completeness as comp
from outcomes.dashboards.lead.measures import engagement as eng
from outcomes.dashboards.lead.measures import waits
from outcomes.dashboards.tables import Column, Figure, Table, rate_cells, rate_columns
from outcomes.stats import Rate
from talkingmoves.vocabulary.uptake import ActivityGroup

WAITS_CAPTION = "Waits from referral, for those who started in the period"
ENGAGEMENT_CAPTION = "Appointments not attended and treatment ended early"
UPTAKE_CAPTION = "Activity taken up during episodes that ended in the period"
COMPLETENESS_CAPTION = "Paired PHQ-9 and GAD-7 scores for episodes that ended in the period"
LONG_GAPS_CAPTION = "More than 90 days between the first and second treatment appointments"


def rate_bar(rate: Rate, label: str, series: int = 0) -> Bar:
    """A bar with its interval, labelled "45% (9 of 20)"."""
    text = (
        f"{round(100 * rate.value)}% ({rate.numerator:,} of {rate.denominator:,})"
        if rate.value is not None
        else "no one"
    )
    return Bar(label=label, value=rate.value, text=text, series=series, interval=rate.interval)


def percent(value: float) -> str:
    return f"{round(100 * value)}%"


# Waits ----------------------------------------------------------------------------------


def waits_table(treatment: waits.Wait, activity: waits.Wait) -> Table:
    rows = []
    for label, wait, standard in (
        ("Referral to first treatment appointment", treatment, True),
        ("Activity referral to first session attended", activity, False),
    ):
        rows.append(
            [
                label,
                wait.started,
                wait.within_6_weeks,
                wait.six_weeks,
                wait.six_weeks,
                wait.within_18_weeks,
                wait.eighteen_weeks,
                wait.eighteen_weeks,
                Figure(wait.median_days, (wait.started,)),
                f"{percent(waits.SIX_WEEK_STANDARD)} within 6 weeks, "
                f"{percent(waits.EIGHTEEN_WEEK_STANDARD)} within 18"
                if standard
                else "",
            ]
        )
    return Table(
        slug="waits",
        caption=WAITS_CAPTION,
        columns=[
            Column("Wait"),
            Column("Started in the period", "count"),
            Column("Within 6 weeks", "count"),
            Column("Within 6 weeks", "percent"),
            Column("95% CI, 6 weeks", "interval"),
            Column("Within 18 weeks", "count"),
            Column("Within 18 weeks", "percent"),
            Column("95% CI, 18 weeks", "interval"),
            Column("Median days", "decimal"),
            Column("National standard"),
        ],
        rows=rows,
        note="Treatment: from the date the Talking Therapies referral was received to the "
        "first attended treatment appointment, for people whose first treatment was in the "
        "period. Activity: from sending a referral to the first session the provider "
        "recorded as attended (not the person's own word), for first sessions in the period.",
    )


def long_gaps_table(gaps: Rate) -> Table:
    return Table(
        slug="long-gaps",
        caption=LONG_GAPS_CAPTION,
        columns=[
            Column("Measure"),
            *rate_columns("More than 90 days", "Finished treatment", "Share"),
        ],
        rows=[["First to second treatment appointment", *rate_cells(gaps)]],
        note="Episodes that ended in the period having finished treatment (at least 2 attended "
        "treatment appointments).",
    )


def waits_chart(treatment: waits.Wait, activity: waits.Wait, gaps: Rate):
    groups = [
        BarGroup(
            "Within 6 weeks",
            [
                rate_bar(treatment.six_weeks, "To treatment", 1),
                rate_bar(activity.six_weeks, "To activity", 0),
            ],
            target=waits.SIX_WEEK_STANDARD,
            target_text=f"Treatment standard {percent(waits.SIX_WEEK_STANDARD)}",
        ),
        BarGroup(
            "Within 18 weeks",
            [
                rate_bar(treatment.eighteen_weeks, "To treatment", 1),
                rate_bar(activity.eighteen_weeks, "To activity", 0),
            ],
            target=waits.EIGHTEEN_WEEK_STANDARD,
            target_text=f"Treatment standard {percent(waits.EIGHTEEN_WEEK_STANDARD)}",
        ),
        BarGroup(
            "More than 90 days between first and second treatment",
            [rate_bar(gaps, "Finished treatment", 2)],
        ),
    ]
    return bar_chart(
        "chart-waits",
        "Waits within 6 and 18 weeks, and long gaps in treatment, with 95% confidence intervals",
        groups,
        table_caption=WAITS_CAPTION,
    )


# Engagement and completeness ------------------------------------------------------------


def engagement_table(missed: Rate, dropped: Rate) -> Table:
    return Table(
        slug="engagement",
        caption=ENGAGEMENT_CAPTION,
        columns=[Column("Measure"), *rate_columns("Number", "Of", "Rate")],
        rows=[
            ["Did not attend (of appointments attended or missed)", *rate_cells(missed)],
            ["Dropped out (of treatment that ended)", *rate_cells(dropped)],
        ],
        note="Did not attend: appointments dated in the period; a cancelled appointment is "
        "neither attended nor missed. Dropped out: episodes that ended in the period after "
        "treatment, with the ending “ended earlier than the care professional planned” or "
        "“ended earlier than the patient requested”, of all ending after treatment.",
    )


def uptake_table(uptake: eng.Uptake) -> Table:
    anchor = eng.EXERCISE_REFERRAL_UPTAKE_ANCHOR
    return Table(
        slug="episode-uptake",
        caption=UPTAKE_CAPTION,
        columns=[
            Column("Measure"),
            *rate_columns("Episodes", "Of", "Share"),
            Column("Exercise-referral average", "percent"),
        ],
        rows=[
            ["Took up (of those referred or signposted)", *rate_cells(uptake.of_offered), anchor],
            ["Took up (of all episodes that ended)", *rate_cells(uptake.of_ended), None],
            [
                f"{ActivityGroup.SELF_REPORTED.label} (of those referred or signposted)",
                *rate_cells(Rate(uptake.self_reported, uptake.offered)),
                None,
            ],
        ],
        note="Took up: at least one session the provider recorded as attended, on a referral "
        "or signposting made during the episode. Exercise-referral schemes average about "
        f"{percent(anchor)} uptake: context, not a target.",
    )


def completeness_table(figures: comp.Completeness) -> Table:
    target = comp.PAIRED_SCORES_TARGET
    return Table(
        slug="completeness",
        caption=COMPLETENESS_CAPTION,
        columns=[
            Column("Episodes"),
            *rate_columns("With paired scores", "Ended", "Completeness"),
            Column("NHS target", "percent"),
        ],
        rows=[
            ["Finished treatment (the national measure)", *rate_cells(figures.finished), target],
            ["Every episode that ended", *rate_cells(figures.ended), None],
        ],
        note="Paired: a first and a last PHQ-9 and GAD-7, each from a different day or "
        "administration. Finished treatment: at least 2 attended treatment appointments.",
    )


def engagement_chart(missed: Rate, dropped: Rate, uptake: eng.Uptake, figures: comp.Completeness):
    groups = [
        BarGroup(
            "Activity uptake",
            [rate_bar(uptake.of_offered, "Of those referred", 0)],
            target=eng.EXERCISE_REFERRAL_UPTAKE_ANCHOR,
            target_text=f"Exercise-referral average {percent(eng.EXERCISE_REFERRAL_UPTAKE_ANCHOR)}",
        ),
        BarGroup(
            "Paired scores",
            [
                rate_bar(figures.finished, "Finished treatment", 1),
                rate_bar(figures.ended, "All ended", 2),
            ],
            target=comp.PAIRED_SCORES_TARGET,
            target_text=f"NHS target {percent(comp.PAIRED_SCORES_TARGET)}",
        ),
        BarGroup(
            "Lost from treatment",
            [rate_bar(missed, "Did not attend", 3), rate_bar(dropped, "Dropped out", 3)],
        ),
    ]
    return bar_chart(
        "chart-engagement",
        "Activity uptake, paired scores, missed appointments and dropout, "
        "with 95% confidence intervals",
        groups,
        table_caption=UPTAKE_CAPTION,
    )
