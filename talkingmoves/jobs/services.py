"""Creating, running and sweeping jobs. See registry.py for writing a handler and
docs/adr/008-job-framework.md for why it works this way."""

import logging
import uuid
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job, JobState
from .progress import Progress
from .registry import job_kind

logger = logging.getLogger(__name__)

# A job whose worker died is started again once, then marked failed.
MAX_ATTEMPTS = 2
# Finished jobs (and the files in their payloads) are kept this long for their pages.
KEPT_FOR = timedelta(days=30)

STOPPED_MESSAGE = (
    "The job stopped before it finished, twice, so nothing was changed. Try again, and if it "
    "happens again, contact your TalkingMoves administrator"
)
FAILED_MESSAGE = (
    "Something went wrong, so nothing was changed. Try again, and if it happens again, "
    "contact your TalkingMoves administrator"
)


class JobFailed(Exception):
    """Raised by a handler to stop with nothing applied and a message for the user."""

    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result


def _send(job_id) -> None:
    from .tasks import run_job  # the task module imports this one

    run_job.delay(str(job_id))


def job_enqueue(kind: str, *, by, payload: dict | None = None, total: int = 0) -> Job:
    """Record a job for `by` and have a worker start it once this transaction commits."""
    job_kind(kind)  # fail here, not in the worker, for a kind nobody handles
    job = Job(
        kind=kind,
        created_by=by,
        organisation_id=by.organisation_id,
        payload=payload or {},
        total=total,
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: _send(job.pk))
    return job


def job_follow_up(parent, kind: str, *, by, payload: dict | None = None, total: int = 0) -> Job:
    """Start the job that follows on from a finished one (an import after its check), once:
    a second request (a double submit) gets the job the first one started."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=parent.pk)
        if locked.result.get("follow_up"):
            return Job.objects.get(pk=locked.result["follow_up"])
        job = job_enqueue(kind, by=by, payload=payload, total=total)
        locked.result = {**locked.result, "follow_up": str(job.pk)}
        locked.save(update_fields=["result"])
    parent.result = locked.result
    return job


def _claim(job_id) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.RUNNING,
            started_at=now,
            heartbeat_at=now,
            done=0,
            attempts=F("attempts") + 1,
        )
    )


class _TakenOver(Exception):
    """The sweep gave the job to another worker while this one was still at it."""


def _finish(job_id, *, state: str, progress: Progress, result: dict, message: str = "") -> int:
    return Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        state=state,
        done=progress.done,
        total=max(progress.total, progress.done),
        errors=progress.errors,
        result=result,
        message=message,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def job_run(job_id: uuid.UUID | str) -> str | None:
    """Run a queued job's handler, once: returns the state it finished in, or None if the
    job was not waiting (another worker has it, or it is finished).

    The handler runs in one transaction, so a failure (or a killed worker, whose connection
    PostgreSQL then rolls back) leaves nothing half-applied; unless its kind is not atomic, when
    it commits its own steps and resumes from the last one when run again."""
    if not _claim(job_id):
        return None
    job = Job.objects.get(pk=job_id)
    progress = Progress(job_id=job.pk, total=job.total)
    try:
        kind = job_kind(job.kind)
        with transaction.atomic() if kind.atomic else nullcontext():
            result = kind.handler(job, progress) or {}
            # In the same transaction as the work: a worker that dies after the commit
            # leaves a finished job, not one the sweep would run twice; and work the sweep
            # has handed to another worker meanwhile is not applied here as well.
            if not _finish(job.pk, state=JobState.SUCCEEDED, progress=progress, result=result):
                raise _TakenOver
    except _TakenOver:
        logger.warning("Job %s was started again elsewhere; this run is rolled back", job.pk)
        return None
    except JobFailed as failure:
        _finish(
            job.pk,
            state=JobState.FAILED,
            progress=progress,
            result=failure.result or {},
            message=failure.message,
        )
        return JobState.FAILED
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job.pk, state=JobState.FAILED, progress=progress, result={}, message=FAILED_MESSAGE)
        return JobState.FAILED
    finally:
        progress.close()
    return JobState.SUCCEEDED


def jobs_fail_stale(*, now=None) -> dict[str, int]:
    """Deal with jobs whose worker died (no heartbeat for JOBS_STALE_AFTER_SECONDS): start
    each again once, then mark it failed. A queued job nobody started (its message lost with
    the broker) is sent again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)
    stale_running = Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
    requeued = list(stale_running.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True))
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    for job_id in requeued:
        # Conditional: a job that beat again since the query is left alone.
        if stale_running.filter(pk=job_id).update(state=JobState.QUEUED, heartbeat_at=now):
            counts["requeued"] += 1
            _send(job_id)
    counts["failed"] = stale_running.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=JobState.FAILED, message=STOPPED_MESSAGE, finished_at=now, heartbeat_at=now
    )
    lost = Job.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        state=JobState.QUEUED,
    )
    for job_id in lost.values_list("pk", flat=True):
        if lost.filter(pk=job_id).update(heartbeat_at=now):
            counts["resent"] += 1
            _send(job_id)
    return counts


def jobs_forget_old(*, now=None) -> int:
    """Delete jobs that finished more than KEPT_FOR ago, with the files they held."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = Job.objects.filter(state__in=Job.FINISHED, finished_at__lt=cutoff).delete()
    return deleted
