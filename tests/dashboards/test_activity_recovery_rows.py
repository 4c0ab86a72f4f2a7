"""The groups page shows the providers and activity types with the most ended episodes; the
CSV (and a short table) keeps every row."""

from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.dashboards.lead import group_tables
from outcomes.dashboards.lead.measures import breakdowns
from outcomes.stats import Rate

SHOWN = dashboard_figures.ROWS_SHOWN


def rows(count: int) -> list[breakdowns.RecoveryRow]:
    """Already in the selector's order: most ended episodes first."""
    return [
        breakdowns.RecoveryRow(f"Provider {n:04}", 1000 - n, Rate(10, 20)) for n in range(count)
    ]


def test_the_page_shows_the_first_rows_and_says_how_many_there_are():
    table = group_tables.activity_recovery_table(
        rows(SHOWN + 5), by=breakdowns.BY_PROVIDER, shown=SHOWN
    )

    assert [row[0] for row in table.rows] == [f"Provider {n:04}" for n in range(SHOWN)]
    assert table.note.startswith(
        f"The {SHOWN} providers with the most ended episodes, of {SHOWN + 5}. "
        "Download the table for all of them."
    )
    assert group_tables.RECOVERY_NOTE in table.note


def test_a_short_table_and_the_csv_keep_every_row():
    short = group_tables.activity_recovery_table(
        rows(SHOWN), by=breakdowns.BY_ACTIVITY_TYPE, shown=SHOWN
    )
    csv = group_tables.activity_recovery_table(rows(SHOWN + 5), by=breakdowns.BY_PROVIDER)

    assert len(short.rows) == SHOWN and "most ended episodes" not in short.note
    assert len(csv.rows) == SHOWN + 5 and "most ended episodes" not in csv.note
