"""A job end to end in a real Celery worker (a subprocess, its own redis-server): progress
shows on the page while the handler's transaction is still open, and a worker killed
mid-job leaves nothing applied; the sweep starts it again and a new worker finishes it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from talkingmoves.accounts.models import Organisation
from talkingmoves.celery import app as project_app
from talkingmoves.jobs import services
from talkingmoves.jobs.models import Job
from tests.nudges.workers import RedisServer, Worker, database_url, use_broker, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    server = RedisServer().start()
    use_broker(project_app, server.url)
    started = []

    def start(name):
        worker = Worker(
            name=name,
            database_url=database_url(connection.settings_dict),
            broker_url=server.url,
            log_dir=tmp_path,
            settings_module="tests.jobs.worker_settings",
            concurrency=1,
        )
        started.append(worker)
        return worker.start().wait_ready(project_app)

    yield start
    for worker in started:
        worker.kill()
    use_broker(project_app, None)
    server.stop()


def state_of(job):
    return Job.objects.values_list("state", "done", "total").get(pk=job.pk)


def waiting_organisation_exists():
    return Organisation.objects.filter(name="Waiting job's organisation").exists()


def test_a_job_runs_in_a_worker_with_progress_on_its_page(start_worker, client_for, cast):
    start_worker("jobs-a")
    officer = cast["partnership"]
    job = services.job_enqueue("tests.wait", by=officer)  # autocommit: sent at once
    wait_until(
        lambda: state_of(job) == ("running", 1, 2), timeout=30, message=lambda: state_of(job)
    )

    client = client_for(officer)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "1 of 2 done (50%)" in html and 'http-equiv="refresh"' in html
    assert not waiting_organisation_exists()  # its work is not committed yet

    Organisation.objects.create(name="go", kind=Organisation.Kind.PROVIDER)
    wait_until(lambda: state_of(job)[0] == "succeeded", timeout=30, message=lambda: state_of(job))
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert waiting_organisation_exists()


def test_a_killed_worker_leaves_nothing_applied_and_the_job_runs_again(start_worker, cast):
    first = start_worker("jobs-b")
    job = services.job_enqueue("tests.wait", by=cast["partnership"])
    wait_until(lambda: state_of(job)[1] == 1, timeout=30, message=lambda: state_of(job))
    first.kill()
    assert not waiting_organisation_exists()  # rolled back with the dead connection

    later = timezone.now() + timedelta(hours=1)
    assert services.jobs_fail_stale(now=later)["requeued"] == 1
    Organisation.objects.create(name="go", kind=Organisation.Kind.PROVIDER)
    start_worker("jobs-c")
    wait_until(lambda: state_of(job)[0] == "succeeded", timeout=30, message=lambda: state_of(job))
    assert Organisation.objects.filter(name="Waiting job's organisation").count() == 1
    assert Job.objects.get(pk=job.pk).attempts == 2
