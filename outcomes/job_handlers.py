"""Outcomes' job handlers (talkingmoves/jobs), registered by OutcomesConfig.ready."""

from outcomes.measures_import import jobs
from talkingmoves.jobs.registry import job_handler


@job_handler(
    jobs.CHECK,
    title="Check scores from your clinical record",
    result_template="outcomes/measures_import/_job_result.html",
)
def measures_import_check(job, progress):
    return jobs.run_check(job, progress)


@job_handler(
    jobs.APPLY,
    title="Import scores from your clinical record",
    result_template="outcomes/measures_import/_job_result.html",
)
def measures_import_apply(job, progress):
    return jobs.run_apply(job, progress)
