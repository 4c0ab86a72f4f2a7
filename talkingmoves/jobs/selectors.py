import csv
import io

from talkingmoves.accounts.scoping import get_for_user_or_404

from .models import Job
from .registry import JobKind, job_kind

# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def job_for(user, job_id) -> Job:
    """The job, if the user's organisation may see it; 404 otherwise."""
    return get_for_user_or_404(user, Job, pk=job_id)


def job_kind_of(job: Job) -> JobKind:
    return job_kind(job.kind)


def job_errors_csv(job: Job) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "field", "message"])
    for error in job.errors:
        writer.writerow(
            [_safe(error.get("row")), _safe(error.get("field")), _safe(error.get("message"))]
        )
    return out.getvalue().encode("utf-8-sig")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
