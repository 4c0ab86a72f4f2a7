"""The upload page's check and apply, run by a worker through the job framework
(talkingmoves/jobs, ADR 008). The handlers are registered in outcomes/job_handlers.py.

A job's payload holds only the import's id: the file and its records (NHS numbers, answers)
stay on the MeasureImport row, which the job page never shows. Each handler runs in the
job's one transaction, so a worker that dies leaves the import as it was (checked, not half
applied) and the user can apply it again.
"""

from django.urls import reverse

from outcomes.measures_import import upload_services
from outcomes.models import MeasureImport
from talkingmoves.jobs.services import job_enqueue

CHECK = "outcomes.measures_import_check"
APPLY = "outcomes.measures_import_apply"


def check_enqueue(upload: MeasureImport, *, by):
    job = job_enqueue(CHECK, by=by, payload={"import": str(upload.public_id)})
    upload_services.measure_import_set_job(upload=upload, check_job=job)
    return job


def apply_enqueue(upload: MeasureImport, *, by, apply_valid_rows: bool):
    job = job_enqueue(
        APPLY,
        by=by,
        payload={"import": str(upload.public_id), "apply_valid_rows": apply_valid_rows},
        total=upload.report.get("valid", 0),
    )
    upload_services.measure_import_set_job(upload=upload, apply_job=job)
    return job


def _upload(job) -> MeasureImport:
    return MeasureImport.objects.select_related("service").get(
        public_id=job.payload["import"], service_id=job.organisation_id
    )


def _link(upload: MeasureImport) -> str:
    return reverse("outcomes:measures_import_detail", args=[upload.public_id])


def run_check(job, progress) -> dict:
    upload = _upload(job)
    progress.set_total(1)
    upload = upload_services.measure_import_check(upload=upload)
    progress.advance()
    return {
        "link": _link(upload),
        "file_error": upload.file_error,
        "valid": upload.report.get("valid", 0),
        "rows_with_errors": upload.report.get("rows_with_errors", 0),
    }


def run_apply(job, progress) -> dict:
    upload = _upload(job)

    def report(done: int, total: int) -> None:
        progress.total = total
        progress.set_done(done)

    applied = upload_services.measure_import_apply(
        upload=upload,
        by=job.created_by,
        apply_valid_rows=job.payload.get("apply_valid_rows", False),
        path=_link(upload),
        progress=report,
    )
    if applied is None:
        return {"link": _link(upload), "already": True}
    return {
        "link": _link(upload),
        "measures": applied.result["measures"],
        "risk_flags": applied.result["risk_flags"],
        "refused": applied.result["refused"],
        "error_count": applied.result["error_count"],
    }
