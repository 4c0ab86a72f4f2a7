from celery import shared_task

from .services import job_run, jobs_fail_stale


@shared_task(name="talkingmoves.jobs.tasks.run_job", ignore_result=True)
def run_job(job_id: str):
    job_run(job_id)


@shared_task(name="talkingmoves.jobs.tasks.sweep_stale_jobs", ignore_result=True)
def sweep_stale_jobs():
    jobs_fail_stale()
