"""The job kernel: enqueue, run, progress, failure and rollback, and the stale-job sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from talkingmoves.accounts.models import Organisation
from talkingmoves.jobs import services
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.registry import job_handler, job_kind

from .factories import JobFactory

pytestmark = pytest.mark.django_db
S = Job.State


def job_organisations():
    return Organisation.objects.filter(name__startswith="Job organisation").count()


def test_enqueue_records_the_job_and_sends_it_once_the_transaction_commits(
    partnership_staff, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(services, "_send", sent.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.job_enqueue("tests.count", by=partnership_staff, payload={"n": 2})
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.state, job.created_by, job.organisation) == (
        S.QUEUED,
        partnership_staff,
        partnership_staff.organisation,
    )
    assert sent == []
    callbacks[0]()
    assert sent == [job.pk]


def test_enqueue_refuses_a_kind_nobody_handles(partnership_staff):
    with pytest.raises(LookupError):
        services.job_enqueue("tests.nobody", by=partnership_staff)
    assert not Job.objects.exists()


def test_run_applies_the_work_and_records_progress_and_result():
    job = JobFactory(payload={"n": 3}, total=0)
    assert services.job_run(job.pk) == S.SUCCEEDED
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.result) == (S.SUCCEEDED, 3, 3, {"added": 3})
    assert job.started_at and job.finished_at and job.heartbeat_at
    assert job.attempts == 1
    assert job.percent == 100
    assert job_organisations() == 3


def test_run_does_nothing_for_a_job_that_is_not_waiting():
    job = JobFactory(succeeded=True)
    assert services.job_run(job.pk) is None
    assert job_organisations() == 0


def test_a_handler_that_refuses_rolls_back_and_keeps_its_message_and_errors():
    job = JobFactory(payload={"n": 3, "fail_at": 3})
    assert services.job_run(job.pk) == S.FAILED
    job.refresh_from_db()
    assert job.state == S.FAILED
    assert job.message == "Row refused, so nothing was changed"
    assert job.errors == [{"row": 3, "field": "name", "message": "=Row refused"}]
    assert job.done == 2  # how far it got, though none of it stayed
    assert job_organisations() == 0


def test_a_handler_that_crashes_rolls_back_with_a_general_message(caplog):
    job = JobFactory(payload={"n": 3, "crash_at": 2})
    assert services.job_run(job.pk) == S.FAILED
    job.refresh_from_db()
    assert job.message == services.FAILED_MESSAGE
    assert job_organisations() == 0
    assert "a bug" not in job.message


def test_progress_is_written_to_the_job_while_the_handler_runs():
    seen = []

    @job_handler("tests.peek", title="Peek")
    def peek(job, progress):
        progress.set_total(4)
        progress.advance(3)
        progress.beat()  # writes now (advance writes at most once a second)
        seen.append(Job.objects.values_list("done", "total").get(pk=job.pk))
        return {}

    job = JobFactory(kind="tests.peek")
    services.job_run(job.pk)
    assert seen == [(3, 4)]
    assert job_kind("tests.peek").title == "Peek"


def test_two_handlers_for_one_kind_are_refused():
    with pytest.raises(ValueError):
        job_handler("tests.count")(lambda job, progress: {})


def stale(job, *, minutes=10):
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=minutes))


def test_a_stale_job_is_started_again_once_then_marked_failed(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(services, "_send", sent.append)
    job = JobFactory()
    Job.objects.filter(pk=job.pk).update(state=S.RUNNING, attempts=1)
    stale(job)

    assert services.jobs_fail_stale() == {"requeued": 1, "failed": 0, "resent": 0}
    job.refresh_from_db()
    assert (job.state, sent) == (S.QUEUED, [job.pk])

    Job.objects.filter(pk=job.pk).update(state=S.RUNNING, attempts=2)  # it died again
    stale(job)
    assert services.jobs_fail_stale() == {"requeued": 0, "failed": 1, "resent": 0}
    job.refresh_from_db()
    assert (job.state, job.message) == (S.FAILED, services.STOPPED_MESSAGE)
    assert job.finished_at is not None
    assert sent == [job.pk]


def test_a_job_with_a_recent_heartbeat_is_left_alone(monkeypatch):
    monkeypatch.setattr(services, "_send", lambda job_id: None)
    job = JobFactory()
    Job.objects.filter(pk=job.pk).update(state=S.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert services.jobs_fail_stale() == {"requeued": 0, "failed": 0, "resent": 0}


def test_a_queued_job_nobody_started_is_sent_again(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_send", sent.append)
    job = JobFactory()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert services.jobs_fail_stale()["resent"] == 1
    assert sent == [job.pk]
    assert services.jobs_fail_stale()["resent"] == 0  # not again until it is stale again


def test_a_requeued_job_runs_to_the_end():
    job = JobFactory()
    Job.objects.filter(pk=job.pk).update(state=S.RUNNING, attempts=1)
    stale(job)
    services.jobs_fail_stale()
    assert services.job_run(job.pk) == S.SUCCEEDED
    job.refresh_from_db()
    assert job.attempts == 2
    assert job_organisations() == 3
