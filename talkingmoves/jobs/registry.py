"""Which function does each kind of job. An app registers its handlers in its own `jobs`
module (found at start-up by JobsConfig.ready):

    @job_handler("providers.csv_import", title="Import listings",
                 result_template="providers/csv/_job_result.html")
    def import_listings(job, progress):
        ...
        return {"new": 3}  # the result summary the job page shows

A handler runs inside one transaction (services.job_run): it either applies everything or,
if it raises or its worker dies, nothing. A handler registered with atomic=False manages its
own transactions instead, and must be safe to run again after a worker dies part-way (it is
started again once, with job.attempts 2). It reports progress with `progress.advance()`
often enough to keep its heartbeat fresh (settings.JOBS_STALE_AFTER_SECONDS).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable
    title: str
    # Shows the result on the job page (given `job` and `result`); the kernel's own
    # template lists the result's keys and values otherwise.
    result_template: str = "jobs/_result.html"
    # False: the handler commits as it goes and can resume where a dead worker stopped (an
    # OpenActive harvest commits each page); it runs outside the one transaction.
    atomic: bool = True


_KINDS: dict[str, JobKind] = {}


def job_handler(kind: str, *, title: str = "", result_template: str = "", atomic: bool = True):
    def register(func: Callable) -> Callable:
        if kind in _KINDS and _KINDS[kind].handler is not func:
            raise ValueError(f"Two handlers for the job kind {kind!r}")
        _KINDS[kind] = JobKind(
            name=kind,
            handler=func,
            title=title or kind,
            result_template=result_template or JobKind.result_template,
            atomic=atomic,
        )
        return func

    return register


def job_kind(kind: str) -> JobKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"No handler registered for the job kind {kind!r}") from None
