"""Job handlers for the kernel's tests, imported by tests/jobs/conftest.py and, in a real
worker, by worker_settings.py. Each writes Organisation rows, so a rollback shows."""

import time

from talkingmoves.accounts.models import Organisation
from talkingmoves.jobs.registry import job_handler
from talkingmoves.jobs.services import JobFailed


def _organisation(name: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=Organisation.Kind.PROVIDER)


@job_handler("tests.count", title="Count organisations in")
def count(job, progress):
    """Adds payload["n"] organisations; stops (rolled back) at payload["fail_at"]."""
    progress.set_total(job.payload["n"])
    for number in range(1, job.payload["n"] + 1):
        if number == job.payload.get("fail_at"):
            progress.error(row=number, field="name", message="=Row refused")
            raise JobFailed("Row refused, so nothing was changed", result={"added": 0})
        if number == job.payload.get("crash_at"):
            raise RuntimeError("a bug")
        _organisation(f"Job organisation {number}")
        progress.advance()
    return {"added": job.payload["n"]}


@job_handler("tests.wait", title="Wait for a go-ahead")
def wait_for_go(job, progress):
    """Adds one organisation, reports half done, then waits (in its transaction) until an
    organisation named "go" is committed: the test decides when it finishes."""
    progress.set_total(2)
    _organisation("Waiting job's organisation")
    progress.advance()
    while not Organisation.objects.filter(name="go").exists():
        progress.beat()
        time.sleep(0.05)
    progress.advance()
    return {"added": 1}
