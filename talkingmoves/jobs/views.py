"""The job page: progress that refreshes itself (a meta refresh, so no JavaScript is
needed) until the job finishes, then its result and its rows' errors."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

from . import selectors

REFRESH_SECONDS = 2


@require_GET
def job_detail(request, job_id):
    job = selectors.job_for(request.user, job_id)
    access_log_write(action=AccessAction.VIEW, obj=job, actor=request.user, path=request.path)
    kind = selectors.job_kind_of(job)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "kind": kind,
            "result": job.result,
            "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
        },
    )


@require_GET
def job_errors(request, job_id):
    job = selectors.job_for(request.user, job_id)
    access_log_write(action=AccessAction.EXPORT, obj=job, actor=request.user, path=request.path)
    response = HttpResponse(selectors.job_errors_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}-errors.csv"'
    return response
