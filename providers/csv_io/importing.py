"""Importing a checked file: in one transaction (the job's), all of it, or, when the person
chose to, the rows without problems; never half of it.

The file is planned again at import time (the directory may have changed since the check),
then saved through `providers.bulk_services` in a fixed handful of bulk queries per kind of
listing, with the same rules and history as an edit by hand.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from providers import bulk_services
from providers.csv_io.planning import plan_import
from providers.csv_io.plans import Plan, RowPlan
from providers.csv_io.reading import Table

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    def __init__(self, message: str, *, summary: dict | None = None):
        super().__init__(message)
        self.message = message
        self.summary = summary  # the file's new check, when rows now have problems


def _good_rows(plan: Plan) -> list[RowPlan]:
    problem_rows = {problem.row for problem in plan.problems}
    return [row for row in plan.rows if row.number not in problem_rows]


def import_table(
    *, table: Table, user, valid_rows_only: bool = False, progress=None
) -> dict[str, int]:
    """Plan the file again and save it, returning the counts. The caller holds the
    transaction (a job's handler), so an ImportFailed leaves nothing saved.

    Raises ImportFailed if a row has a problem now (unless `valid_rows_only`: those rows are
    skipped) or cannot be saved."""
    with transaction.atomic():  # a savepoint inside a job's transaction
        plan = plan_import(table=table, user=user, progress=progress)
        summary = plan.summary(ignored_columns=table.ignored_columns)
        if plan.problems and not valid_rows_only:
            raise ImportFailed(
                "Nothing was imported. The directory has changed since the file was checked, "
                "and some rows now have problems: they are listed below",
                summary=summary,
            )
        good = _good_rows(plan)
        rows = [row for row in good if row.is_new or row.changes]
        saved = _save_or_explain(good, rows, user=user, progress=progress, summary=summary)
    counts = summary["counts"]
    return {
        "rows": counts["rows"],
        "new": sum(1 for row in rows if row.is_new),
        "changed": sum(1 for row in rows if not row.is_new),
        "unchanged": len(good) - len(rows),
        "skipped": counts["problem_rows"],
        **saved,
    }


def _save_or_explain(good, rows, *, user, progress, summary) -> dict[str, int]:
    try:
        return _save(good, rows, user=user, progress=progress)
    except ValidationError as error:
        raise ImportFailed(
            f"Nothing was imported. A row could not be saved: {' '.join(error.messages)} Fix "
            "it in your spreadsheet and upload the file again",
            summary=summary,
        ) from error
    except DatabaseError as error:
        logger.exception("CSV import rolled back")
        raise ImportFailed(
            "Nothing was imported. A row could not be saved. Try again, and if it happens "
            "again, contact your TalkingMoves administrator",
            summary=summary,
        ) from error


def _save(good: list[RowPlan], rows: list[RowPlan], *, user, progress) -> dict[str, int]:
    """Save the providers and venues the good rows name (new, or with changed details), then
    the activities of `rows` (the good rows that add or change one)."""
    providers, venues = {}, {}
    for row in good:
        providers[id(row.provider_plan)] = row.provider_plan
        if row.venue_plan is not None:
            venues[id(row.venue_plan)] = row.venue_plan
    provider_plans = [p for p in providers.values() if p.is_new or p.changes]
    venue_plans = [v for v in venues.values() if v.is_new or v.changes]
    history = bulk_services.providers_save_many(
        providers=[p.provider for p in provider_plans], by=user
    )
    for venue_plan in venue_plans:
        # Only now does a new provider have a primary key to point at.
        venue_plan.venue.provider = venue_plan.provider_plan.provider
    history += bulk_services.venues_save_many(venues=[v.venue for v in venue_plans], by=user)
    changes = []
    for row in rows:
        activity = row.activity
        activity.provider = row.provider_plan.provider
        if not row.keep_venue:
            activity.venue = row.venue_plan.venue if row.venue_plan else None
        changes.append(
            bulk_services.TagChange(
                activity,
                current=row.before,
                suitability=row.suitability,
                accessibility=row.accessibility,
                weekly_slots=row.weekly_slots,
            )
        )
    history += bulk_services.activities_save_many(
        changes=changes,
        by=user,
        checked=True,  # plan_import ran the activities' and weekly times' field checks
        on_batch=progress.advance if progress else None,
    )
    bulk_services.history_record_many(history)
    return {
        "new_providers": sum(1 for p in provider_plans if p.is_new),
        "new_venues": sum(1 for v in venue_plans if v.is_new),
    }
