"""The directory's long work, run by workers as jobs (talkingmoves/jobs, ADR 008): checking
and importing a spreadsheet of listings. The OpenActive harvest's handler is in
openactive/jobs.py; importing it here registers it."""

import os

from providers import csv_io
from providers.openactive import jobs as openactive_jobs  # noqa: F401 (registers its handler)
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.registry import job_handler
from talkingmoves.jobs.services import JobFailed, job_enqueue, job_follow_up

CSV_CHECK = "providers.csv_check"
CSV_IMPORT = "providers.csv_import"


class NothingToImport(Exception):
    """The check found no rows that can be imported the way the person asked."""


def csv_check_start(*, user, filename: str, table: csv_io.Table) -> Job:
    """Keep the file in a job's row (web and workers share no disk) and have a worker check
    it; nothing is saved until the person imports it from the check's page."""
    return job_enqueue(
        CSV_CHECK,
        by=user,
        payload={"filename": os.path.basename(filename)[:200], "text": table.text},
        total=len(table.rows),
    )


def _what_to_import(counts: dict) -> dict:
    to_import = counts["new"] + counts["changed"]
    listings_change = any(
        counts[name]
        for name in ("new_providers", "changed_providers", "new_venues", "changed_venues")
    )
    # With problems, only the rows without any go in (and the providers and venues they use).
    return {
        "to_import": to_import,
        "can_import": bool(to_import or (listings_change and not counts["problems"])),
    }


def csv_import_start(*, check: Job, user, valid_rows_only: bool) -> Job:
    """Import a checked file, once (a second submit gets the first import's job). With
    problems in the file, only `valid_rows_only` may go ahead."""
    if check.kind != CSV_CHECK or check.state != Job.State.SUCCEEDED:
        raise NothingToImport
    if not check.result["can_import"] or (
        check.result["counts"]["problems"] and not valid_rows_only
    ):
        raise NothingToImport
    return job_follow_up(
        check,
        CSV_IMPORT,
        by=user,
        payload={**check.payload, "valid_rows_only": valid_rows_only},
        total=check.result["counts"]["rows"] + check.result["to_import"],
    )


@job_handler(CSV_CHECK, title="Check your file", result_template="providers/csv/_check_result.html")
def csv_check(job, progress):
    table = csv_io.table_from_text(job.payload["text"])
    progress.set_total(len(table.rows))
    plan = csv_io.plan_import(table=table, user=job.created_by, progress=progress)
    summary = plan.summary(ignored_columns=table.ignored_columns)
    for problem in summary.pop("problems"):
        progress.error(row=problem["row"], field=problem["column"], message=problem["message"])
    return {"filename": job.payload["filename"], **summary, **_what_to_import(summary["counts"])}


@job_handler(
    CSV_IMPORT, title="Import listings", result_template="providers/csv/_import_result.html"
)
def csv_import(job, progress):
    try:
        counts = csv_io.import_table(
            table=csv_io.table_from_text(job.payload["text"]),
            user=job.created_by,
            valid_rows_only=job.payload["valid_rows_only"],
            progress=progress,
        )
    except csv_io.ImportFailed as failure:
        for problem in (failure.summary or {}).get("problems", []):
            progress.error(row=problem["row"], field=problem["column"], message=problem["message"])
        raise JobFailed(failure.message, result={"filename": job.payload["filename"]}) from None
    return {"filename": job.payload["filename"], **counts}
